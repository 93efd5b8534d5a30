#!/bin/sh
# A mirror the worker cannot use: a file that is no SQLite database (damaged,
# or something else at that path) and a path that cannot be opened (a
# directory there). Each fails the job with class storage and a message
# that names the file, says what SQLite said and what to do; the file is
# left exactly as it was. Once it is moved aside, the next sync rebuilds
# the mirror from the ERP.
. "$(dirname "$0")/lib.sh"

DB=$T/data/customers-agent1.db
start_sim --customers 300 --seed 5
start_quiet_daemon

# failed_sync LABEL: a customers sync of agent1 that must fail as storage.
failed_sync() {
	sync_fails customers agent1
	[ "$CLASS" = storage ] || fail "$1: error class $CLASS, not storage: $MSG"
}

mkdir -p "$T/data"
# 8 KB that are no database (a fixed pattern, not chance).
python3 -c 'import sys; sys.stdout.buffer.write(bytes(range(256)) * 32)' >"$DB"
cp "$DB" "$T/garbage"
failed_sync damaged
case $MSG in
"$DB: "*"file is not a database (the mirror is damaged or is no SQLite database: move it aside and sync again to rebuild it from the ERP)") ;;
*) fail "the damaged mirror's message: $MSG" ;;
esac
cmp -s "$DB" "$T/garbage" || fail "the damaged mirror was changed"
[ ! -e "$DB-wal" ] || fail "a WAL was made beside the damaged mirror"

mv "$DB" "$T/damaged.db"
mkdir "$DB"
failed_sync directory
case $MSG in
"$DB: cannot open the database: "*"(check that data_dir exists and that erpsyncd's user can write to it)") ;;
*) fail "the message for a directory at the mirror's path: $MSG" ;;
esac
[ -d "$DB" ] && [ -z "$(ls -A "$DB")" ] || fail "the directory at the mirror's path was changed"

rmdir "$DB"
ctl sync customers --user agent1 --wait >"$T/rebuilt.out" 2>&1 ||
	fail "the sync after the mirror was moved aside failed: $(tail -n 3 "$T/rebuilt.out")"
compare customers "$DB" agent1 || fail "the rebuilt mirror differs from erpsim"
note "ok: storage errors name the file and what to do; the rebuilt mirror is exact"
