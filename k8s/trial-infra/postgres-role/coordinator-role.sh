#!/bin/sh
# Creates or updates the PostgreSQL role the coordinator connects as, and gives it the evalfleet database:
# LOGIN, NOSUPERUSER, NOCREATEDB, NOCREATEROLE, NOREPLICATION, NOBYPASSRLS; owner of the database, of its
# public schema and of every object in that schema, so Flyway (run by the coordinator at start) can create and
# migrate the tables. Runs as the superuser, which nothing else uses (a compose one-shot, a Kubernetes Job).
#
# Safe to run again, and meant to run on every start: a role that exists gets the password given now, so
# changing it in .env or the Secret and running this again rotates it; objects an earlier installation
# created as the superuser (the coordinator used to connect as it) are handed to the role. Unlike a script in
# /docker-entrypoint-initdb.d, which the postgres image runs only on an empty data directory, this works on
# an existing volume too.
#
# Reads libpq's PGHOST, PGPORT, PGUSER and PGPASSWORD (the superuser), POSTGRES_DB (the database, made if
# missing) and POSTGRES_COORDINATOR_USER / POSTGRES_COORDINATOR_PASSWORD (the role). Needs psql 15 or newer.
set -eu

for variable in PGHOST PGUSER PGPASSWORD POSTGRES_DB POSTGRES_COORDINATOR_USER POSTGRES_COORDINATOR_PASSWORD; do
    eval "value=\${$variable:-}"
    if [ -z "$value" ]; then
        echo "coordinator-role: $variable is not set" >&2
        exit 1
    fi
done
if [ "$POSTGRES_COORDINATOR_USER" = "$PGUSER" ]; then
    echo "coordinator-role: POSTGRES_COORDINATOR_USER is the superuser $PGUSER; the coordinator needs a role of its own" >&2
    exit 1
fi

# The image's first start runs initdb and a server that listens on no TCP port, then restarts it: wait for
# the real one.
waited=0
until pg_isready -q -d postgres; do
    if [ "$waited" -ge "${POSTGRES_WAIT_SECONDS:-180}" ]; then
        echo "coordinator-role: no PostgreSQL at $PGHOST:${PGPORT:-5432} after ${waited}s" >&2
        exit 1
    fi
    sleep 3
    waited=$((waited + 3))
done

# Values reach SQL only through psql's :'variable' and :"variable" quoting (and format's %I and %L), never by
# pasting them into the text. The password travels to the server in ALTER ROLE, which hashes it
# (scram-sha-256); the statement is not logged unless log_statement is all.
psql -X -q -v ON_ERROR_STOP=1 -d postgres <<'SQL'
\getenv role POSTGRES_COORDINATOR_USER
\getenv password POSTGRES_COORDINATOR_PASSWORD
\getenv database POSTGRES_DB

SELECT format('CREATE ROLE %I', :'role')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS'
              ' INHERIT CONNECTION LIMIT -1 PASSWORD %L', :'role', :'password') \gexec

SELECT format('CREATE DATABASE %I OWNER %I', :'database', :'role')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'database') \gexec
SELECT format('ALTER DATABASE %I OWNER TO %I', :'database', :'role') \gexec
-- only the owner (and the superuser) may connect
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'database') \gexec

\connect -reuse-previous=on :"database"
SELECT format('ALTER SCHEMA public OWNER TO %I', :'role') \gexec
-- Tables first: ALTER TABLE … OWNER also hands over their indexes and the sequences of their columns.
-- Objects of extensions stay with the extension's owner.
SELECT format('ALTER %s %I.%I OWNER TO %I',
              CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                             WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
              n.nspname, c.relname, :'role')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
   AND c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = :'role')
   AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
 ORDER BY c.relkind = 'v', c.oid \gexec
SELECT format('ALTER SEQUENCE %I.%I OWNER TO %I', n.nspname, c.relname, :'role')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'public' AND c.relkind = 'S'
   AND c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = :'role')
   AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e') \gexec
SELECT format('ALTER ROUTINE %s OWNER TO %I', p.oid::regprocedure, :'role')
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = 'public'
   AND p.proowner <> (SELECT oid FROM pg_roles WHERE rolname = :'role')
   AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e') \gexec
SELECT format('ALTER TYPE %I.%I OWNER TO %I', n.nspname, t.typname, :'role')
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
 WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd', 'r', 'm')
   AND t.typowner <> (SELECT oid FROM pg_roles WHERE rolname = :'role')
   AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = t.oid AND d.deptype = 'e') \gexec

SELECT format('coordinator-role: %s may log in (superuser %s, createdb %s, createrole %s) and owns database %s',
              r.rolname, r.rolsuper, r.rolcreatedb, r.rolcreaterole, current_database()) AS done
  FROM pg_roles r WHERE r.rolname = :'role' \gset
\echo :done
SQL
