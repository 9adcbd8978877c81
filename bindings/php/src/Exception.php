<?php

namespace WxPay;

/**
 * Every wxpay failure. One subclass per kind (ConfigException,
 * SignatureException, …); getCode() is the C status, `$wxpayCode` the
 * code string every language shares ("WXPAY_SIGNATURE").
 */
class Exception extends \RuntimeException
{
    /** @var string the kind, e.g. "Signature" */
    public $kind;
    /** @var string e.g. "WXPAY_SIGNATURE", the same in Python, Node and C */
    public $wxpayCode;
    /** @var bool whether the same call may be made again */
    public $retryable;
    /** @var string|null why a signature, XML or input check failed ("Doctype", "WrongType", …) */
    public $reason;
    /** @var string|null the input field that was refused, by WeChat's name */
    public $field;
    /** @var array everything the library said about the failure */
    public $details;

    public function __construct(int $status, string $message, array $details)
    {
        parent::__construct($message, $status);
        $this->kind = $details['kind'];
        $this->wxpayCode = $details['code'];
        $this->retryable = (bool) $details['retryable'];
        $this->reason = $details['reason'] ?? null;
        $this->field = $details['field'] ?? null;
        $this->details = $details;
    }

    /** WeChat's err_code, for a BusinessException. */
    public function errCode(): ?string
    {
        return $this->details['err_code'] ?? null;
    }
}
