<?php

namespace WxPay;

/** The token store failed. */
class CacheException extends Exception
{
}
