<?php

namespace WxPay;

/** The MP platform answered errcode != 0 (OAuth, token, ticket). */
class MpApiException extends Exception
{
}
