# Sourced by the load scripts: prepares a SQLite database with the real
# referentials and the national demo (60k courses, 300k offers, 1M
# companies, seed 1) unless it already holds them.
#
#   national_db LBA_BINARY DB_PATH
national_db() {
    local lba=$1 db=$2
    local companies
    companies=$(LBA_DATABASE_URL=$db $lba status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["companies"])')
    if [ "$companies" -lt 500000 ]; then
        LBA_DATABASE_URL=$db $lba import referentials
        LBA_DATABASE_URL=$db $lba demo clear
        LBA_DATABASE_URL=$db /usr/bin/time -f "demo generate national: %e s, max RSS %M KB" \
            $lba demo generate --scale national --seed 1
    fi
}
