<?php
/*
 * wxpay under php-fpm, with FFI left at php-fpm's default, ffi.enable=preload
 * (FFI only for preloaded code). In the pool's php.ini:
 *
 *     opcache.preload = /path/to/vendor/wxpaykit/wxpaykit/preload.php
 *     opcache.preload_user = www-data
 *     ffi.preload = /etc/php/8.2/fpm/wxpay.h
 *
 * where wxpay.h is written once at deployment by
 *
 *     php /path/to/vendor/wxpaykit/wxpaykit/scope-header.php > /etc/php/8.2/fpm/wxpay.h
 *
 * This script compiles the WxPay\ classes into every worker, which is what
 * lets them use FFI while every other script of the pool cannot; ffi.preload
 * loads libwxpay and its declarations once in the master, reached by the
 * classes through FFI::scope. Without ffi.preload the preloaded classes load
 * the library in each request instead (slower, still safe). Restart php-fpm
 * after upgrading wxpay. The command line needs none of this.
 */

require __DIR__ . '/autoload.php';

foreach (glob(__DIR__ . '/src/*.php') as $file) {
    $class = 'WxPay\\' . basename($file, '.php');
    if (!class_exists($class) && !interface_exists($class)) {
        throw new RuntimeException("wxpay preload: $file does not declare $class");
    }
}
