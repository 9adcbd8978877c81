<?php
/*
 * Prints the FFI declarations for php.ini's ffi.preload: libwxpay's header
 * with FFI_SCOPE "WXPAY" and this installation's library as FFI_LIB
 * (see preload.php). Run it again after moving or upgrading wxpay:
 *
 *     php vendor/wxpaykit/wxpaykit/scope-header.php > /etc/php/8.2/fpm/wxpay.h
 */

require __DIR__ . '/autoload.php';

try {
    echo WxPay\Lib::scopeHeader();
} catch (WxPay\Exception $e) {
    fwrite(STDERR, $e->getMessage() . "\n");
    exit(1);
}
