#!/bin/sh
# The image's entrypoint: `serve` (the default) migrates first, then replaces this shell with
# the server, so signals reach it; any other command (`tick`, `import-roster`, `db upgrade`,
# `report`) runs as given. Migrating on every start is safe: on PostgreSQL instances starting
# together take turns (an advisory lock), and an up-to-date schema is left as it is.
set -eu
if [ "$#" -eq 0 ] || [ "$1" = "serve" ]; then
  preceptor db upgrade
fi
exec preceptor "${@:-serve}"
