<?php

namespace WxPay;

/** Missing or wrong signature, or a sign type other than the pinned one. */
class SignatureException extends Exception
{
}
