#!/bin/sh
# café crème
echo "été" > /tmp/ok
