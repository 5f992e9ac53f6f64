#!/bin/sh
# auth-service's access-token signing key for docker compose and Kubernetes: an EC P-256 key pair
# as one PEM file, a PRIVATE KEY (PKCS#8) block followed by its PUBLIC KEY block.
#   docker/auth-signing-key.sh secrets/auth-signing-key.pem
set -eu
out=${1:?usage: $0 <file>}
mkdir -p "$(dirname "$out")"
umask 077
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$out"
openssl pkey -in "$out" -pubout >> "$out"
echo "wrote $out"
