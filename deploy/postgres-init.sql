-- compose.yaml: the catalog's database is POSTGRES_DB; the question history gets its own.
CREATE DATABASE nianbao_history OWNER nianbao;
