#!/bin/sh
# First start of the MySQL container: the services' schemas, owned by the application user.
set -eu
for schema in auth chat signaling media; do
  mysql -uroot -p"$MYSQL_ROOT_PASSWORD" -e "CREATE DATABASE IF NOT EXISTS \`$schema\` CHARACTER SET utf8mb4; GRANT ALL PRIVILEGES ON \`$schema\`.* TO '$MYSQL_USER'@'%';"
done
