<?php
/*
 * The PSR-4 autoloader for WxPay\ without Composer: require this file, or
 * let Composer's autoloader do the same from composer.json.
 */
spl_autoload_register(function (string $class): void {
    if (strncmp($class, 'WxPay\\', 6) === 0) {
        $file = __DIR__ . '/src/' . str_replace('\\', '/', substr($class, 6)) . '.php';
        if (is_file($file)) {
            require $file;
        }
    }
});
