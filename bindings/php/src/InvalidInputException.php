<?php

namespace WxPay;

/** An argument breaks a documented rule, has the wrong type, or is missing or unknown. */
class InvalidInputException extends Exception
{
}
