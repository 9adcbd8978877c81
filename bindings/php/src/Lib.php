<?php

namespace WxPay;

/**
 * libwxpay through FFI: under php-fpm the scope ffi.preload loaded for the
 * whole pool (scopeHeader()), else loaded once per process (see locate()
 * for where the library and its declarations are found).
 *
 * Every string the library returns is copied with FFI::string() and freed
 * through the library at once; a non-zero status becomes the Exception
 * subclass of the kind the library reports.
 */
final class Lib
{
    private static $ffi = null;
    /** @var object|null a PSR-3 style logger: log($level, $message, array $context) */
    private static $logger = null;

    /** The FFI scope php.ini's ffi.preload fills under php-fpm (see scopeHeader()). */
    public const SCOPE = 'WXPAY';

    /** @var string|null "preload" or "cdef", once loaded */
    private static $through = null;

    public static function ffi(): \FFI
    {
        if (self::$ffi === null) {
            $scope = self::preloaded();
            self::$through = $scope !== null ? 'preload' : 'cdef';
            self::$ffi = $scope ?? self::load();
        }
        return self::$ffi;
    }

    /** See WxPay::loadedThrough(). */
    public static function loadedThrough(): string
    {
        self::ffi();
        return self::$through;
    }

    /**
     * The declarations and library ffi.preload loaded once for every
     * worker of the pool, or null without it (the command line, or a
     * server with only opcache.preload).
     */
    private static function preloaded(): ?\FFI
    {
        if (!extension_loaded('ffi')) {
            return null;
        }
        try {
            return \FFI::scope(self::SCOPE);
        } catch (\FFI\Exception $e) {
            return null;
        }
    }

    /** FFI::cdef over the header and the library, parsed in this process. */
    private static function load(): \FFI
    {
        [$lib, $header] = self::locate();
        try {
            return \FFI::cdef(file_get_contents($header), $lib);
        } catch (\FFI\Exception $e) {
            throw self::configError(self::hint($e) . " ({$e->getMessage()})");
        }
    }

    /**
     * The declarations for php.ini's ffi.preload (bindings/php/scope-header.php
     * prints them): libwxpay's header with FFI_SCOPE "WXPAY" and the
     * library's absolute path as FFI_LIB. php-fpm's master then loads the
     * library once, before it starts its workers, and the preloaded WxPay\
     * classes reach it through FFI::scope, with no header parsed per request.
     */
    public static function scopeHeader(): string
    {
        [$lib, $header] = self::locate();
        return '#define FFI_SCOPE "' . self::SCOPE . "\"\n"
            . '#define FFI_LIB "' . addcslashes((string) realpath($lib), "\"\\") . "\"\n"
            . file_get_contents($header);
    }

    /**
     * [library, header]: WXPAY_LIB, else the Composer package's own lib/
     * (make dist), else this repository's target/release or target/debug;
     * WXPAY_HEADER, else the package's or the repository's include/wxpay_ffi.h.
     */
    private static function locate(): array
    {
        $package = dirname(__DIR__);
        $root = is_file("$package/lib/libwxpay.so") ? $package : dirname(__DIR__, 3);
        $header = getenv('WXPAY_HEADER') ?: "$root/include/wxpay_ffi.h";
        $lib = getenv('WXPAY_LIB') ?: (is_file("$root/lib/libwxpay.so") ? "$root/lib/libwxpay.so"
            : (is_file("$root/target/release/libwxpay.so")
                ? "$root/target/release/libwxpay.so" : "$root/target/debug/libwxpay.so"));
        if (!extension_loaded('ffi')) {
            throw self::configError('PHP has no FFI extension: install it (Debian: php-ffi is part of '
                . 'php-common; else build PHP with --with-ffi) and enable it with ffi.enable=1 on the command '
                . 'line, or preload wxpay under php-fpm (see the package README)');
        }
        if (!is_file($lib) || !is_file($header)) {
            throw self::configError("libwxpay not found ($lib, $header): set WXPAY_LIB and WXPAY_HEADER, "
                . 'or install the wxpay PHP package, which carries both');
        }
        return [$lib, $header];
    }

    /** What to do about an FFI failure, for the ConfigException's message. */
    private static function hint(\FFI\Exception $e): string
    {
        return strpos($e->getMessage(), 'restricted') !== false
            ? 'FFI is restricted by ffi.enable (php-fpm\'s default is "preload"): under php-fpm, preload wxpay '
                . '(opcache.preload = vendor/wxpaykit/wxpaykit/preload.php, see the package README), which keeps '
                . 'that protection; on the command line, run with -d ffi.enable=1'
            : 'libwxpay could not be loaded: check WXPAY_LIB and that the library matches this machine';
    }

    /** A ConfigException for a library that cannot be loaded, with the fix in its message. */
    private static function configError(string $message): ConfigException
    {
        return new ConfigException(1, "configuration error: $message",
            ['kind' => 'Config', 'code' => 'WXPAY_CONFIG', 'retryable' => false, 'message' => $message]);
    }

    /** See WxPay::setLogger(). */
    public static function setLogger(?object $logger): void
    {
        if ($logger !== null && !method_exists($logger, 'log')) {
            throw new \TypeError('the logger must have log($level, $message, array $context), as a PSR-3 logger does');
        }
        self::$logger = $logger;
    }

    /**
     * Hands the events the library met during the call that just returned
     * to the logger, or, without one, its warnings and errors to error_log()
     * (php-fpm's log, stderr on the command line). Never throws.
     */
    private static function forwardEvents(\FFI $ffi): void
    {
        if (!$ffi->wxpay_events_pending()) {
            return;
        }
        $out = $ffi->new('char*');
        if ($ffi->wxpay_events_take(\FFI::addr($out)) !== 0) {
            return;
        }
        try {
            $taken = json_decode(\FFI::string($out), true);
        } finally {
            $ffi->wxpay_string_free($out);
        }
        $events = $taken['events'] ?? [];
        if (($taken['dropped'] ?? 0) > 0) {
            $events[] = ['level' => 'warning', 'name' => 'events_dropped', 'fields' => [],
                'message' => "{$taken['dropped']} wxpay events were dropped"];
        }
        foreach ($events as $e) {
            $context = ['wxpay_event' => $e['name']] + $e['fields'];
            if (self::$logger !== null) {
                try {
                    self::$logger->log($e['level'], $e['message'], $context);
                } catch (\Throwable $ignored) {
                    // A logger that fails never fails the payment call.
                }
            } elseif ($e['level'] === 'warning' || $e['level'] === 'error') {
                error_log("wxpay: {$e['level']}: {$e['message']}");
            }
        }
    }

    /** Throws the exception for a non-zero status. */
    public static function check(int $status): void
    {
        self::forwardEvents(self::ffi());
        if ($status === 0) {
            return;
        }
        $ffi = self::ffi();
        $details = json_decode($ffi->wxpay_last_error_details() ?? '', true);
        if (!is_array($details)) {
            throw new InternalException($status, 'libwxpay gave no error details', [
                'kind' => 'Internal', 'code' => 'WXPAY_INTERNAL', 'retryable' => false]);
        }
        $class = __NAMESPACE__ . '\\' . $details['kind'] . 'Exception';
        throw new $class($status, $ffi->wxpay_last_error_message() ?? $details['message'], $details);
    }

    /** Calls $fn(out pointer), copies the returned string and frees it. */
    public static function text(callable $fn): string
    {
        $ffi = self::ffi();
        $out = $ffi->new('char*');
        self::check($fn(\FFI::addr($out)));
        try {
            return \FFI::string($out);
        } finally {
            $ffi->wxpay_string_free($out);
        }
    }

    /** As text(), for a result that may be NULL (then null). */
    public static function maybeText(callable $fn): ?string
    {
        $ffi = self::ffi();
        $out = $ffi->new('char*');
        self::check($fn(\FFI::addr($out)));
        if (\FFI::isNull($out)) {
            return null;
        }
        try {
            return \FFI::string($out);
        } finally {
            $ffi->wxpay_string_free($out);
        }
    }

    /** As text(), decoding the JSON result. */
    public static function json(callable $fn)
    {
        return json_decode(self::text($fn), true, 512, JSON_THROW_ON_ERROR);
    }

    /**
     * A PHP array as a JSON object (a list as a JSON array). A string that
     * is not UTF-8 (PHP strings are bytes) is an InvalidInputException
     * naming its key, never a JsonException: the library signs text, and
     * which text those bytes stand for is not for it to guess.
     */
    public static function encode(array $value, string $name = 'arguments'): string
    {
        $bad = self::notUtf8($value, $name);
        if ($bad !== null) {
            throw new InvalidInputException(2, "invalid input for $bad: is not UTF-8 text", [
                'kind' => 'InvalidInput', 'code' => 'WXPAY_INVALID_INPUT', 'retryable' => false,
                'reason' => 'Rule', 'field' => $bad]);
        }
        $value = self::finite($value);
        $value = array_is_list($value) && $value !== [] ? $value : (object) $value;
        return json_encode($value, JSON_THROW_ON_ERROR | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES);
    }

    /**
     * JSON has no NaN or infinity (json_encode would throw): they cross as
     * the library's spelling, "NaN", "Infinity", "-Infinity", so the library
     * refuses them by name like any other value out of range.
     */
    private static function finite(array $value): array
    {
        foreach ($value as $k => $v) {
            if (is_float($v) && !is_finite($v)) {
                $value[$k] = is_nan($v) ? 'NaN' : ($v > 0 ? 'Infinity' : '-Infinity');
            } elseif (is_array($v)) {
                $value[$k] = self::finite($v);
            }
        }
        return $value;
    }

    /** The key of the first string (key or value) in $value that is not UTF-8, or null. */
    private static function notUtf8(array $value, string $name): ?string
    {
        foreach ($value as $k => $v) {
            $key = is_string($k) ? $k : $name;
            if (is_string($k) && preg_match('//u', $k) !== 1) {
                return $name;
            }
            if (is_string($v) && preg_match('//u', $v) !== 1) {
                return $key;
            }
            if (is_array($v) && ($inner = self::notUtf8($v, $key)) !== null) {
                return $inner;
            }
        }
        return null;
    }
}
