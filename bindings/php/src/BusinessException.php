<?php

namespace WxPay;

/** WeChat answered result_code=FAIL; see errCode(). */
class BusinessException extends Exception
{
}
