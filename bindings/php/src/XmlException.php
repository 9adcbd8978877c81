<?php

namespace WxPay;

/** Malformed or forbidden XML (DOCTYPE, too big, nested, duplicate fields…). */
class XmlException extends Exception
{
}
