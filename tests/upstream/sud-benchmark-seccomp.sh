#!/bin/sh
exec "$(dirname "$0")/run-sud-benchmark" seccomp
