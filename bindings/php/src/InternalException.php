<?php

namespace WxPay;

/** A bug in libwxpay (a caught panic): please report it. */
class InternalException extends Exception
{
}
