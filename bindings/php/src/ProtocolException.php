<?php

namespace WxPay;

/** WeChat answered return_code=FAIL, or a reply broke the protocol. */
class ProtocolException extends Exception
{
}
