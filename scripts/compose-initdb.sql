-- docker-compose.yml: the database self-hosted Inngest keeps its own state in.
CREATE DATABASE inngest;
