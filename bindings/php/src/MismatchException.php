<?php

namespace WxPay;

/** appid / mch_id / amount / order state differ from what was expected. */
class MismatchException extends Exception
{
}
