<?php
// A WeChat that always answers with the bytes in CANNED_BODY_FILE (for the reply vectors).
header('Content-Type: text/plain');
readfile(getenv('CANNED_BODY_FILE'));
