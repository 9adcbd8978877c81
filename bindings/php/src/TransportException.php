<?php

namespace WxPay;

/** The request did not complete (connect, timeout, HTTP status, cut reply). */
class TransportException extends Exception
{
}
