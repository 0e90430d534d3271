#!/usr/bin/env bash
# Builds bench/gemm-libraries.cc against each candidate library (Debian's
# libeigen3-dev, libopenblas-dev's static archive, libdnnl-dev) and runs them
# in turns, ROUNDS times, on THREADS threads:
#   bash packages/kernels-native/bench/gemm-libraries.sh [THREADS] [ROUNDS]
# Also prints each binary's size: what shipping it would weigh.
set -euo pipefail
cd "$(dirname "$0")"
threads=${1:-1}
rounds=${2:-3}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
g++ -O3 -march=x86-64-v3 -DNDEBUG -DLIB_EIGEN -I/usr/include/eigen3 gemm-libraries.cc -o "$out/eigen" -lpthread
g++ -O3 -march=x86-64-v3 -DNDEBUG -DLIB_PACKED -I/usr/include/eigen3 gemm-libraries.cc -o "$out/packed" -lpthread
g++ -O3 -DLIB_OPENBLAS -I/usr/include/x86_64-linux-gnu/openblas-pthread gemm-libraries.cc -o "$out/openblas" \
  /usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.a -lpthread -lm
g++ -O3 -DLIB_DNNL -fopenmp gemm-libraries.cc -o "$out/onednn" -ldnnl
strip "$out"/*
ls -l "$out" | awk 'NR > 1 { printf "binary %s: %d bytes\n", $9, $5 }'
for round in $(seq "$rounds"); do
  for lib in eigen packed openblas onednn; do
    OMP_WAIT_POLICY=passive "$out/$lib" "$threads" 0.3 | sed "s/^/round $round\t/"
  done
done
