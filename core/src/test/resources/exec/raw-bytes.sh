#!/bin/sh
# Writes bytes that are not clean UTF-8 lines: a progress bar with carriage returns, an invalid
# UTF-8 byte, a CRLF line, and a last line without a newline.
printf 'progress 10%%\rprogress 50%%\rprogress 100%%\n'
printf 'bad byte: \377 end\n'
printf 'windows line\r\n'
printf 'no newline at end'
