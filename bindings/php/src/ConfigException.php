<?php

namespace WxPay;

/** Bad or missing configuration (e.g. an API key that is not 32 bytes). */
class ConfigException extends Exception
{
}
