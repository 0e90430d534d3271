;; Kernels that run in place on tfjs' wasm heap, for the steps of training
;; where tfjs-backend-wasm 4.22 falls back to scalar loops or repacks data:
;; transposes, sums, convolution and pooling gradients, up-sampling, bias
;; addition and the binary cross-entropy loss.
;; They use 128-bit SIMD and cache-sized tiles. The module imports the
;; backend's own memory, so tensors are read and written where they are,
;; without copies.
;;
;; Built into src/backend/wasm/heap-kernels-binary.ts by scripts/build-wasm.mjs;
;; a test checks that the committed bytes are this file's.
;;
;; All pointers are byte offsets; all sizes and strides count 4-byte elements.
(module
  (import "tfjs" "memory" (memory 0))

  ;; Transposes one 4x4 block: four rows of `src` (byte stride $ss) become
  ;; four rows of `dst` (byte stride $ds).
  (func $block4x4 (param $s i32) (param $ss i32) (param $d i32) (param $ds i32)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128)
    (local $lo01 v128) (local $lo23 v128) (local $hi01 v128) (local $hi23 v128)
    (local.set $r0 (v128.load align=4 (local.get $s)))
    (local.set $r1 (v128.load align=4 (i32.add (local.get $s) (local.get $ss))))
    (local.set $r2 (v128.load align=4 (i32.add (local.get $s) (i32.shl (local.get $ss) (i32.const 1)))))
    (local.set $r3 (v128.load align=4 (i32.add (local.get $s) (i32.mul (local.get $ss) (i32.const 3)))))
    ;; a0 b0 a1 b1 | c0 d0 c1 d1 | a2 b2 a3 b3 | c2 d2 c3 d3
    (local.set $lo01 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r0) (local.get $r1)))
    (local.set $lo23 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r2) (local.get $r3)))
    (local.set $hi01 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r0) (local.get $r1)))
    (local.set $hi23 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r2) (local.get $r3)))
    (v128.store align=4 (local.get $d)
      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $lo01) (local.get $lo23)))
    (v128.store align=4 (i32.add (local.get $d) (local.get $ds))
      (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $lo01) (local.get $lo23)))
    (v128.store align=4 (i32.add (local.get $d) (i32.shl (local.get $ds) (i32.const 1)))
      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $hi01) (local.get $hi23)))
    (v128.store align=4 (i32.add (local.get $d) (i32.mul (local.get $ds) (i32.const 3)))
      (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $hi01) (local.get $hi23))))

  ;; dst[c * $ds + r] = src[r * $ss + c] for r in [$r0, $r1), c in [$c0, $c1), one element at a time.
  (func $transposeScalar (param $src i32) (param $dst i32) (param $r0 i32) (param $r1 i32)
    (param $c0 i32) (param $c1 i32) (param $ss i32) (param $ds i32)
    (local $r i32) (local $c i32)
    (local.set $r (local.get $r0))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $r1)))
        (local.set $c (local.get $c0))
        (block $colsDone
          (loop $cols
            (br_if $colsDone (i32.ge_u (local.get $c) (local.get $c1)))
            (f32.store
              (i32.add (local.get $dst)
                (i32.shl (i32.add (i32.mul (local.get $c) (local.get $ds)) (local.get $r)) (i32.const 2)))
              (f32.load
                (i32.add (local.get $src)
                  (i32.shl (i32.add (i32.mul (local.get $r) (local.get $ss)) (local.get $c)) (i32.const 2)))))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $cols)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows))))

  ;; Strided 2-D transpose: dst[c * $ds + r] = src[r * $ss + c] for a
  ;; $rows x $cols matrix, in 32x32 tiles (8 KB in, 8 KB out: both stay in
  ;; the L1 cache) made of 4x4 SIMD blocks.
  (func (export "transpose2d") (param $src i32) (param $dst i32) (param $rows i32) (param $cols i32)
    (param $ss i32) (param $ds i32)
    (local $tr i32) (local $tc i32) (local $trEnd i32) (local $tcEnd i32) (local $r i32) (local $c i32)
    (local $ssBytes i32) (local $dsBytes i32)
    (local.set $ssBytes (i32.shl (local.get $ss) (i32.const 2)))
    (local.set $dsBytes (i32.shl (local.get $ds) (i32.const 2)))
    (local.set $tr (i32.const 0))
    (block $tileRowsDone
      (loop $tileRows
        (br_if $tileRowsDone (i32.ge_u (local.get $tr) (local.get $rows)))
        (local.set $trEnd (select (i32.add (local.get $tr) (i32.const 32)) (local.get $rows)
          (i32.lt_u (i32.add (local.get $tr) (i32.const 32)) (local.get $rows))))
        (local.set $tc (i32.const 0))
        (block $tileColsDone
          (loop $tileCols
            (br_if $tileColsDone (i32.ge_u (local.get $tc) (local.get $cols)))
            (local.set $tcEnd (select (i32.add (local.get $tc) (i32.const 32)) (local.get $cols)
              (i32.lt_u (i32.add (local.get $tc) (i32.const 32)) (local.get $cols))))
            (local.set $r (local.get $tr))
            (block $blockRowsDone
              (loop $blockRows
                (br_if $blockRowsDone (i32.gt_u (i32.add (local.get $r) (i32.const 4)) (local.get $trEnd)))
                (local.set $c (local.get $tc))
                (block $blockColsDone
                  (loop $blockCols
                    (br_if $blockColsDone (i32.gt_u (i32.add (local.get $c) (i32.const 4)) (local.get $tcEnd)))
                    (call $block4x4
                      (i32.add (local.get $src)
                        (i32.shl (i32.add (i32.mul (local.get $r) (local.get $ss)) (local.get $c)) (i32.const 2)))
                      (local.get $ssBytes)
                      (i32.add (local.get $dst)
                        (i32.shl (i32.add (i32.mul (local.get $c) (local.get $ds)) (local.get $r)) (i32.const 2)))
                      (local.get $dsBytes))
                    (local.set $c (i32.add (local.get $c) (i32.const 4)))
                    (br $blockCols)))
                ;; Columns left over at the tile's right edge.
                (call $transposeScalar (local.get $src) (local.get $dst)
                  (local.get $r) (i32.add (local.get $r) (i32.const 4)) (local.get $c) (local.get $tcEnd)
                  (local.get $ss) (local.get $ds))
                (local.set $r (i32.add (local.get $r) (i32.const 4)))
                (br $blockRows)))
            ;; Rows left over at the tile's bottom edge.
            (call $transposeScalar (local.get $src) (local.get $dst)
              (local.get $r) (local.get $trEnd) (local.get $tc) (local.get $tcEnd)
              (local.get $ss) (local.get $ds))
            (local.set $tc (local.get $tcEnd))
            (br $tileCols)))
        (local.set $tr (local.get $trEnd))
        (br $tileRows))))

  ;; Copies $n elements, four at a time while it can.
  (func $copy (param $s i32) (param $d i32) (param $n i32)
    (local $end i32) (local $vectorEnd i32)
    (local.set $end (i32.add (local.get $s) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vectorEnd (i32.add (local.get $s) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $vectorsDone
      (loop $vectors
        (br_if $vectorsDone (i32.ge_u (local.get $s) (local.get $vectorEnd)))
        (v128.store align=4 (local.get $d) (v128.load align=4 (local.get $s)))
        (local.set $s (i32.add (local.get $s) (i32.const 16)))
        (local.set $d (i32.add (local.get $d) (i32.const 16)))
        (br $vectors)))
    (block $done
      (loop $scalars
        (br_if $done (i32.ge_u (local.get $s) (local.get $end)))
        (f32.store (local.get $d) (f32.load (local.get $s)))
        (local.set $s (i32.add (local.get $s) (i32.const 4)))
        (local.set $d (i32.add (local.get $d) (i32.const 4)))
        (br $scalars))))

  ;; Swaps the two outer axes of an [$a, $b, $n] array, moving runs of $n
  ;; elements: dst[(j * $a + i) * $n + k] = src[(i * $b + j) * $n + k].
  ;; Written in destination order, so each output run is written once, in sequence.
  (func (export "swapOuterAxes") (param $src i32) (param $dst i32) (param $a i32) (param $b i32) (param $n i32)
    (local $i i32) (local $j i32) (local $runBytes i32) (local $srcRowBytes i32)
    (local.set $runBytes (i32.shl (local.get $n) (i32.const 2)))
    (local.set $srcRowBytes (i32.mul (local.get $runBytes) (local.get $b)))
    (local.set $j (i32.const 0))
    (block $jDone
      (loop $js
        (br_if $jDone (i32.ge_u (local.get $j) (local.get $b)))
        (local.set $i (i32.const 0))
        (block $iDone
          (loop $is
            (br_if $iDone (i32.ge_u (local.get $i) (local.get $a)))
            (call $copy
              (i32.add (local.get $src)
                (i32.add (i32.mul (local.get $i) (local.get $srcRowBytes)) (i32.mul (local.get $j) (local.get $runBytes))))
              (local.get $dst)
              (local.get $n))
            (local.set $dst (i32.add (local.get $dst) (local.get $runBytes)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $is)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $js))))

  ;; Sum of $n floats, in four interleaved partial sums (a one-channel bias
  ;; gradient: a single column, which the row loop below would add one by one).
  (func $sumAll (param $src i32) (param $n i32) (result f32)
    (local $end i32) (local $vectorEnd i32) (local $sum v128) (local $total f32)
    (local.set $end (i32.add (local.get $src) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vectorEnd (i32.add (local.get $src) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $vectorsDone (loop $vectors
      (br_if $vectorsDone (i32.ge_u (local.get $src) (local.get $vectorEnd)))
      (local.set $sum (f32x4.add (local.get $sum) (v128.load align=4 (local.get $src))))
      (local.set $src (i32.add (local.get $src) (i32.const 16)))
      (br $vectors)))
    (local.set $total (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $sum)) (f32x4.extract_lane 1 (local.get $sum)))
      (f32.add (f32x4.extract_lane 2 (local.get $sum)) (f32x4.extract_lane 3 (local.get $sum)))))
    (block $scalarsDone (loop $scalars
      (br_if $scalarsDone (i32.ge_u (local.get $src) (local.get $end)))
      (local.set $total (f32.add (local.get $total) (f32.load (local.get $src))))
      (local.set $src (i32.add (local.get $src) (i32.const 4)))
      (br $scalars)))
    (local.get $total))

  ;; Column sums of a float32 [$rows, $cols] matrix: dst[c] = sum over r of
  ;; src[r * $cols + c], accumulated in row order (as tfjs' own Sum does)
  ;; except for a single column, summed by $sumAll.
  (func (export "sumRows") (param $src i32) (param $dst i32) (param $rows i32) (param $cols i32)
    (local $r i32) (local $c i32) (local $vectorCols i32) (local $at i32) (local $out i32)
    (if (i32.eq (local.get $cols) (i32.const 1))
      (then (f32.store (local.get $dst) (call $sumAll (local.get $src) (local.get $rows))) (return)))
    (local.set $vectorCols (i32.and (local.get $cols) (i32.const -4)))
    (memory.fill (local.get $dst) (i32.const 0) (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $at (local.get $src))
    (local.set $r (i32.const 0))
    (block $rowsDone
      (loop $rowLoop
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $c (i32.const 0))
        (local.set $out (local.get $dst))
        (block $vectorsDone
          (loop $vectors
            (br_if $vectorsDone (i32.ge_u (local.get $c) (local.get $vectorCols)))
            (v128.store align=4 (local.get $out)
              (f32x4.add (v128.load align=4 (local.get $out)) (v128.load align=4 (local.get $at))))
            (local.set $at (i32.add (local.get $at) (i32.const 16)))
            (local.set $out (i32.add (local.get $out) (i32.const 16)))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $vectors)))
        (block $scalarsDone
          (loop $scalars
            (br_if $scalarsDone (i32.ge_u (local.get $c) (local.get $cols)))
            (f32.store (local.get $out) (f32.add (f32.load (local.get $out)) (f32.load (local.get $at))))
            (local.set $at (i32.add (local.get $at) (i32.const 4)))
            (local.set $out (i32.add (local.get $out) (i32.const 4)))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $scalars)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rowLoop))))

  ;; acc[0..16) += sum over i < $count of splat(scalar[i * $scalarStep]) * wide[i * $wideStep + 0..16):
  ;; sixteen channels in four registers. Steps are in bytes.
  (func $accumulate16 (param $acc i32) (param $wide i32) (param $wideStep i32)
    (param $scalar i32) (param $scalarStep i32) (param $count i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $s v128)
    (local.set $a0 (v128.load align=4 (local.get $acc)))
    (local.set $a1 (v128.load offset=16 align=4 (local.get $acc)))
    (local.set $a2 (v128.load offset=32 align=4 (local.get $acc)))
    (local.set $a3 (v128.load offset=48 align=4 (local.get $acc)))
    (block $done
      (loop $positions
        (br_if $done (i32.eqz (local.get $count)))
        (local.set $s (f32x4.splat (f32.load (local.get $scalar))))
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $s) (v128.load align=4 (local.get $wide)))))
        (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $s) (v128.load offset=16 align=4 (local.get $wide)))))
        (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $s) (v128.load offset=32 align=4 (local.get $wide)))))
        (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $s) (v128.load offset=48 align=4 (local.get $wide)))))
        (local.set $wide (i32.add (local.get $wide) (local.get $wideStep)))
        (local.set $scalar (i32.add (local.get $scalar) (local.get $scalarStep)))
        (local.set $count (i32.sub (local.get $count) (i32.const 1)))
        (br $positions)))
    (v128.store align=4 (local.get $acc) (local.get $a0))
    (v128.store offset=16 align=4 (local.get $acc) (local.get $a1))
    (v128.store offset=32 align=4 (local.get $acc) (local.get $a2))
    (v128.store offset=48 align=4 (local.get $acc) (local.get $a3)))

  ;; The same for two scalar channels at once (at $scalar and $scalar + 4),
  ;; into sixteen channels at $acc and sixteen at $acc + $accStride: each
  ;; wide vector loaded once serves both, and a call does twice the work.
  (func $accumulate16x2 (param $acc i32) (param $accStride i32) (param $wide i32) (param $wideStep i32)
    (param $scalar i32) (param $scalarStep i32) (param $count i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local $w0 v128) (local $w1 v128) (local $w2 v128) (local $w3 v128) (local $s v128) (local $t v128) (local $second i32)
    (local.set $second (i32.add (local.get $acc) (local.get $accStride)))
    (local.set $a0 (v128.load align=4 (local.get $acc)))
    (local.set $a1 (v128.load offset=16 align=4 (local.get $acc)))
    (local.set $a2 (v128.load offset=32 align=4 (local.get $acc)))
    (local.set $a3 (v128.load offset=48 align=4 (local.get $acc)))
    (local.set $b0 (v128.load align=4 (local.get $second)))
    (local.set $b1 (v128.load offset=16 align=4 (local.get $second)))
    (local.set $b2 (v128.load offset=32 align=4 (local.get $second)))
    (local.set $b3 (v128.load offset=48 align=4 (local.get $second)))
    (block $done
      (loop $positions
        (br_if $done (i32.eqz (local.get $count)))
        (local.set $s (v128.load32_splat (local.get $scalar)))
        (local.set $t (v128.load32_splat offset=4 (local.get $scalar)))
        (local.set $w0 (v128.load align=4 (local.get $wide)))
        (local.set $w1 (v128.load offset=16 align=4 (local.get $wide)))
        (local.set $w2 (v128.load offset=32 align=4 (local.get $wide)))
        (local.set $w3 (v128.load offset=48 align=4 (local.get $wide)))
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $s) (local.get $w0))))
        (local.set $b0 (f32x4.add (local.get $b0) (f32x4.mul (local.get $t) (local.get $w0))))
        (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $s) (local.get $w1))))
        (local.set $b1 (f32x4.add (local.get $b1) (f32x4.mul (local.get $t) (local.get $w1))))
        (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $s) (local.get $w2))))
        (local.set $b2 (f32x4.add (local.get $b2) (f32x4.mul (local.get $t) (local.get $w2))))
        (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $s) (local.get $w3))))
        (local.set $b3 (f32x4.add (local.get $b3) (f32x4.mul (local.get $t) (local.get $w3))))
        (local.set $wide (i32.add (local.get $wide) (local.get $wideStep)))
        (local.set $scalar (i32.add (local.get $scalar) (local.get $scalarStep)))
        (local.set $count (i32.sub (local.get $count) (i32.const 1)))
        (br $positions)))
    (v128.store align=4 (local.get $acc) (local.get $a0))
    (v128.store offset=16 align=4 (local.get $acc) (local.get $a1))
    (v128.store offset=32 align=4 (local.get $acc) (local.get $a2))
    (v128.store offset=48 align=4 (local.get $acc) (local.get $a3))
    (v128.store align=4 (local.get $second) (local.get $b0))
    (v128.store offset=16 align=4 (local.get $second) (local.get $b1))
    (v128.store offset=32 align=4 (local.get $second) (local.get $b2))
    (v128.store offset=48 align=4 (local.get $second) (local.get $b3)))

  ;; The same for eight channels.
  (func $accumulate8 (param $acc i32) (param $wide i32) (param $wideStep i32)
    (param $scalar i32) (param $scalarStep i32) (param $count i32)
    (local $a0 v128) (local $a1 v128) (local $s v128)
    (local.set $a0 (v128.load align=4 (local.get $acc)))
    (local.set $a1 (v128.load offset=16 align=4 (local.get $acc)))
    (block $done
      (loop $positions
        (br_if $done (i32.eqz (local.get $count)))
        (local.set $s (f32x4.splat (f32.load (local.get $scalar))))
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $s) (v128.load align=4 (local.get $wide)))))
        (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $s) (v128.load offset=16 align=4 (local.get $wide)))))
        (local.set $wide (i32.add (local.get $wide) (local.get $wideStep)))
        (local.set $scalar (i32.add (local.get $scalar) (local.get $scalarStep)))
        (local.set $count (i32.sub (local.get $count) (i32.const 1)))
        (br $positions)))
    (v128.store align=4 (local.get $acc) (local.get $a0))
    (v128.store offset=16 align=4 (local.get $acc) (local.get $a1)))

  ;; The same for two scalar channels at once into eight wide channels each.
  (func $accumulate8x2 (param $acc i32) (param $accStride i32) (param $wide i32) (param $wideStep i32)
    (param $scalar i32) (param $scalarStep i32) (param $count i32)
    (local $a0 v128) (local $a1 v128) (local $b0 v128) (local $b1 v128)
    (local $w0 v128) (local $w1 v128) (local $s v128) (local $t v128) (local $second i32)
    (local.set $second (i32.add (local.get $acc) (local.get $accStride)))
    (local.set $a0 (v128.load align=4 (local.get $acc)))
    (local.set $a1 (v128.load offset=16 align=4 (local.get $acc)))
    (local.set $b0 (v128.load align=4 (local.get $second)))
    (local.set $b1 (v128.load offset=16 align=4 (local.get $second)))
    (block $done
      (loop $positions
        (br_if $done (i32.eqz (local.get $count)))
        (local.set $s (v128.load32_splat (local.get $scalar)))
        (local.set $t (v128.load32_splat offset=4 (local.get $scalar)))
        (local.set $w0 (v128.load align=4 (local.get $wide)))
        (local.set $w1 (v128.load offset=16 align=4 (local.get $wide)))
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $s) (local.get $w0))))
        (local.set $b0 (f32x4.add (local.get $b0) (f32x4.mul (local.get $t) (local.get $w0))))
        (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $s) (local.get $w1))))
        (local.set $b1 (f32x4.add (local.get $b1) (f32x4.mul (local.get $t) (local.get $w1))))
        (local.set $wide (i32.add (local.get $wide) (local.get $wideStep)))
        (local.set $scalar (i32.add (local.get $scalar) (local.get $scalarStep)))
        (local.set $count (i32.sub (local.get $count) (i32.const 1)))
        (br $positions)))
    (v128.store align=4 (local.get $acc) (local.get $a0))
    (v128.store offset=16 align=4 (local.get $acc) (local.get $a1))
    (v128.store align=4 (local.get $second) (local.get $b0))
    (v128.store offset=16 align=4 (local.get $second) (local.get $b1)))

  ;; The same for four channels.
  (func $accumulate4 (param $acc i32) (param $wide i32) (param $wideStep i32)
    (param $scalar i32) (param $scalarStep i32) (param $count i32)
    (local $a0 v128)
    (local.set $a0 (v128.load align=4 (local.get $acc)))
    (block $done
      (loop $positions
        (br_if $done (i32.eqz (local.get $count)))
        (local.set $a0 (f32x4.add (local.get $a0)
          (f32x4.mul (f32x4.splat (f32.load (local.get $scalar))) (v128.load align=4 (local.get $wide)))))
        (local.set $wide (i32.add (local.get $wide) (local.get $wideStep)))
        (local.set $scalar (i32.add (local.get $scalar) (local.get $scalarStep)))
        (local.set $count (i32.sub (local.get $count) (i32.const 1)))
        (br $positions)))
    (v128.store align=4 (local.get $acc) (local.get $a0)))

  ;; Filter gradient of a convolution (NHWC, no dilation) with few channels:
  ;;   dw[kh, kw, ci, co] = sum over (n, oh, ow) of x[n, oh*sh + kh - top, ow*sw + kw - left, ci] * dy[n, oh, ow, co]
  ;; One side's channels ("wide", a multiple of 4) are summed as vectors,
  ;; the other side's ("scalar") one at a time: for each filter tap and
  ;; scalar channel, splat(scalar value) * wide vector over every output
  ;; position. The result at $dw is laid out [kh, kw, scalar, wide]: the
  ;; filter's own layout when dy is the wide side, else its transpose.
  ;; XNNPACK needs one whole side as a filter, and repacking a
  ;; [28, 28, 256, 16] "filter" on every call cost 22 of the 29 ms this
  ;; replaced for a one-channel layer. Loops run over output rows outermost,
  ;; so the rows of x and dy a row needs stay in the L1 cache for all taps.
  (func (export "filterGradient")
    (param $x i32) (param $dy i32) (param $dw i32)
    ;; The window geometry (as maxPoolGradient takes it, with the wide side's channels), then the rest.
    (param $batch i32) (param $inHeight i32) (param $inWidth i32) (param $wideChannels i32)
    (param $outHeight i32) (param $outWidth i32) (param $filterHeight i32) (param $filterWidth i32)
    (param $strideHeight i32) (param $strideWidth i32) (param $top i32) (param $left i32)
    (param $scalarChannels i32) (param $xIsWide i32)
    (local $n i32) (local $oh i32) (local $kh i32) (local $kw i32) (local $ih i32) (local $c i32) (local $s i32)
    (local $dyRow i32) (local $xRow i32) (local $owFrom i32) (local $owTo i32) (local $t i32)
    (local $xAt i32) (local $dyAt i32) (local $tapAcc i32) (local $acc i32) (local $count i32)
    (local $xStep i32) (local $dyStep i32) (local $xPosition i32) (local $dyPosition i32)
    (local $wideAt i32) (local $wideStep i32) (local $scalarAt i32) (local $scalarStep i32) (local $wideBytes i32)
    (local $pair i32) (local $block i32) (local $other i32) (local $otherAcc i32) (local $otherScalar i32)
    (local.set $wideBytes (i32.shl (local.get $wideChannels) (i32.const 2)))
    ;; Bytes per position on each side, and per output position along a row.
    (local.set $xPosition (i32.shl (select (local.get $wideChannels) (local.get $scalarChannels) (local.get $xIsWide)) (i32.const 2)))
    (local.set $dyPosition (i32.shl (select (local.get $scalarChannels) (local.get $wideChannels) (local.get $xIsWide)) (i32.const 2)))
    (local.set $xStep (i32.mul (local.get $xPosition) (local.get $strideWidth)))
    (local.set $dyStep (local.get $dyPosition))
    (local.set $wideStep (select (local.get $xStep) (local.get $dyStep) (local.get $xIsWide)))
    (local.set $scalarStep (select (local.get $dyStep) (local.get $xStep) (local.get $xIsWide)))
    (memory.fill (local.get $dw) (i32.const 0)
      (i32.mul (i32.mul (i32.mul (local.get $filterHeight) (local.get $filterWidth)) (local.get $scalarChannels)) (local.get $wideBytes)))
    (local.set $n (i32.const 0))
    (block $batchDone (loop $images
      (br_if $batchDone (i32.ge_s (local.get $n) (local.get $batch)))
      (local.set $oh (i32.const 0))
      (block $rowsDone (loop $rows
        (br_if $rowsDone (i32.ge_s (local.get $oh) (local.get $outHeight)))
        (local.set $dyRow (i32.mul (i32.add (i32.mul (local.get $n) (local.get $outHeight)) (local.get $oh)) (local.get $outWidth)))
        (local.set $kh (i32.const 0))
        (block $tapRowsDone (loop $tapRows
          (br_if $tapRowsDone (i32.ge_s (local.get $kh) (local.get $filterHeight)))
          (local.set $ih (i32.sub (i32.add (i32.mul (local.get $oh) (local.get $strideHeight)) (local.get $kh)) (local.get $top)))
          (if (i32.and (i32.ge_s (local.get $ih) (i32.const 0)) (i32.lt_s (local.get $ih) (local.get $inHeight)))
            (then
              (local.set $xRow (i32.mul (i32.add (i32.mul (local.get $n) (local.get $inHeight)) (local.get $ih)) (local.get $inWidth)))
              (local.set $kw (i32.const 0))
              (block $tapsDone (loop $taps
                (br_if $tapsDone (i32.ge_s (local.get $kw) (local.get $filterWidth)))
                ;; Output columns whose input column ow*sw + kw - left lies inside the image.
                (local.set $t (i32.sub (local.get $left) (local.get $kw)))
                (local.set $owFrom (select
                  (i32.div_s (i32.sub (i32.add (local.get $t) (local.get $strideWidth)) (i32.const 1)) (local.get $strideWidth))
                  (i32.const 0)
                  (i32.gt_s (local.get $t) (i32.const 0))))
                (local.set $t (i32.add (local.get $t) (i32.sub (local.get $inWidth) (i32.const 1))))
                (local.set $owTo (select
                  (i32.add (i32.div_s (local.get $t) (local.get $strideWidth)) (i32.const 1))
                  (i32.const 0)
                  (i32.ge_s (local.get $t) (i32.const 0))))
                (if (i32.gt_s (local.get $owTo) (local.get $outWidth)) (then (local.set $owTo (local.get $outWidth))))
                (if (i32.lt_s (local.get $owFrom) (local.get $owTo))
                  (then
                    (local.set $count (i32.sub (local.get $owTo) (local.get $owFrom)))
                    (local.set $xAt (i32.add (local.get $x) (i32.mul (local.get $xPosition)
                      (i32.sub (i32.add (i32.add (local.get $xRow) (i32.mul (local.get $owFrom) (local.get $strideWidth))) (local.get $kw))
                        (local.get $left)))))
                    (local.set $dyAt (i32.add (local.get $dy) (i32.mul (local.get $dyPosition)
                      (i32.add (local.get $dyRow) (local.get $owFrom)))))
                    (local.set $tapAcc (i32.add (local.get $dw) (i32.mul
                      (i32.mul (i32.add (i32.mul (local.get $kh) (local.get $filterWidth)) (local.get $kw)) (local.get $scalarChannels))
                      (local.get $wideBytes))))
                    (local.set $s (i32.const 0))
                    (block $scalarsDone (loop $scalars
                      (br_if $scalarsDone (i32.ge_s (local.get $s) (local.get $scalarChannels)))
                      ;; Two scalar channels at a time where two remain.
                      (local.set $pair (i32.lt_s (i32.add (local.get $s) (i32.const 1)) (local.get $scalarChannels)))
                      (local.set $wideAt (select (local.get $xAt) (local.get $dyAt) (local.get $xIsWide)))
                      (local.set $scalarAt (i32.add (select (local.get $dyAt) (local.get $xAt) (local.get $xIsWide))
                        (i32.shl (local.get $s) (i32.const 2))))
                      (local.set $acc (i32.add (local.get $tapAcc) (i32.mul (local.get $s) (local.get $wideBytes))))
                      ;; Sixteen wide channels at a time, then eight, then four.
                      (local.set $c (i32.const 0))
                      (block $wideDone (loop $blocks
                        (br_if $wideDone (i32.ge_s (local.get $c) (local.get $wideChannels)))
                        (local.set $block (select (i32.const 16)
                          (select (i32.const 8) (i32.const 4) (i32.le_s (i32.add (local.get $c) (i32.const 8)) (local.get $wideChannels)))
                          (i32.le_s (i32.add (local.get $c) (i32.const 16)) (local.get $wideChannels))))
                        (if (i32.and (local.get $pair) (i32.eq (local.get $block) (i32.const 16)))
                          (then
                            (call $accumulate16x2 (local.get $acc) (local.get $wideBytes) (local.get $wideAt) (local.get $wideStep)
                              (local.get $scalarAt) (local.get $scalarStep) (local.get $count)))
                          (else (if (i32.and (local.get $pair) (i32.eq (local.get $block) (i32.const 8)))
                          (then
                            (call $accumulate8x2 (local.get $acc) (local.get $wideBytes) (local.get $wideAt) (local.get $wideStep)
                              (local.get $scalarAt) (local.get $scalarStep) (local.get $count)))
                          (else
                            ;; One scalar channel, then (when paired) the next.
                            (local.set $other (i32.const 0))
                            (loop $others
                              (local.set $otherAcc (i32.add (local.get $acc) (i32.mul (local.get $other) (local.get $wideBytes))))
                              (local.set $otherScalar (i32.add (local.get $scalarAt) (i32.shl (local.get $other) (i32.const 2))))
                              (if (i32.eq (local.get $block) (i32.const 16))
                                (then (call $accumulate16 (local.get $otherAcc) (local.get $wideAt) (local.get $wideStep)
                                  (local.get $otherScalar) (local.get $scalarStep) (local.get $count)))
                                (else (if (i32.eq (local.get $block) (i32.const 8))
                                  (then (call $accumulate8 (local.get $otherAcc) (local.get $wideAt) (local.get $wideStep)
                                    (local.get $otherScalar) (local.get $scalarStep) (local.get $count)))
                                  (else (call $accumulate4 (local.get $otherAcc) (local.get $wideAt) (local.get $wideStep)
                                    (local.get $otherScalar) (local.get $scalarStep) (local.get $count))))))
                              (local.set $other (i32.add (local.get $other) (i32.const 1)))
                              (br_if $others (i32.le_s (local.get $other) (local.get $pair))))))))
                        (local.set $c (i32.add (local.get $c) (local.get $block)))
                        (local.set $acc (i32.add (local.get $acc) (i32.shl (local.get $block) (i32.const 2))))
                        (local.set $wideAt (i32.add (local.get $wideAt) (i32.shl (local.get $block) (i32.const 2))))
                        (br $blocks)))
                      (local.set $s (i32.add (local.get $s) (i32.add (i32.const 1) (local.get $pair))))
                      (br $scalars)))))
                (local.set $kw (i32.add (local.get $kw) (i32.const 1)))
                (br $taps)))))
          (local.set $kh (i32.add (local.get $kh) (i32.const 1)))
          (br $tapRows)))
        (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
        (br $rows)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $images))))

  ;; Max-pooling gradient (NHWC) for windows that do not overlap (stride at
  ;; least the window size: the usual 2x2 pooling by 2), four channels at a
  ;; time; $channels is a multiple of 4. Each window's gradient goes to the
  ;; first position, row by row, holding its maximum (tfjs' cpu rule; ties
  ;; are everywhere in MNIST's blank background). Positions in no window get 0.
  (func (export "maxPoolGradient")
    (param $x i32) (param $dy i32) (param $dx i32)
    (param $batch i32) (param $inHeight i32) (param $inWidth i32) (param $channels i32)
    (param $outHeight i32) (param $outWidth i32) (param $filterHeight i32) (param $filterWidth i32)
    (param $strideHeight i32) (param $strideWidth i32) (param $top i32) (param $left i32)
    (local $n i32) (local $oh i32) (local $ow i32) (local $c i32) (local $y i32) (local $col i32) (local $j i32)
    (local $yFrom i32) (local $yTo i32) (local $xFrom i32) (local $xTo i32) (local $t i32)
    (local $image i32) (local $at i32) (local $gradient i32) (local $rowBytes i32) (local $positionBytes i32)
    (local $best v128) (local $where v128) (local $value v128) (local $greater v128) (local $g v128)
    (local.set $positionBytes (i32.shl (local.get $channels) (i32.const 2)))
    (local.set $rowBytes (i32.mul (local.get $positionBytes) (local.get $inWidth)))
    ;; Zero dx first unless the windows tile the image exactly (2x2 by 2 on an
    ;; even size): then every position is written once below.
    (if (i32.eqz (i32.and
          (i32.and (i32.and (i32.eq (local.get $strideHeight) (local.get $filterHeight)) (i32.eq (local.get $strideWidth) (local.get $filterWidth)))
            (i32.eqz (i32.or (local.get $top) (local.get $left))))
          (i32.and (i32.eq (i32.mul (local.get $outHeight) (local.get $strideHeight)) (local.get $inHeight))
            (i32.eq (i32.mul (local.get $outWidth) (local.get $strideWidth)) (local.get $inWidth)))))
      (then (memory.fill (local.get $dx) (i32.const 0)
        (i32.mul (i32.mul (local.get $batch) (local.get $inHeight)) (local.get $rowBytes)))))
    (local.set $gradient (local.get $dy))
    (local.set $n (i32.const 0))
    (block $imagesDone (loop $images
      (br_if $imagesDone (i32.ge_s (local.get $n) (local.get $batch)))
      (local.set $image (i32.mul (i32.mul (local.get $n) (local.get $inHeight)) (local.get $rowBytes)))
      (local.set $oh (i32.const 0))
      (block $rowsDone (loop $rows
        (br_if $rowsDone (i32.ge_s (local.get $oh) (local.get $outHeight)))
        (local.set $t (i32.sub (i32.mul (local.get $oh) (local.get $strideHeight)) (local.get $top)))
        (local.set $yFrom (select (local.get $t) (i32.const 0) (i32.gt_s (local.get $t) (i32.const 0))))
        (local.set $t (i32.add (local.get $t) (local.get $filterHeight)))
        (local.set $yTo (select (local.get $t) (local.get $inHeight) (i32.lt_s (local.get $t) (local.get $inHeight))))
        (local.set $ow (i32.const 0))
        (block $columnsDone (loop $columns
          (br_if $columnsDone (i32.ge_s (local.get $ow) (local.get $outWidth)))
          (local.set $t (i32.sub (i32.mul (local.get $ow) (local.get $strideWidth)) (local.get $left)))
          (local.set $xFrom (select (local.get $t) (i32.const 0) (i32.gt_s (local.get $t) (i32.const 0))))
          (local.set $t (i32.add (local.get $t) (local.get $filterWidth)))
          (local.set $xTo (select (local.get $t) (local.get $inWidth) (i32.lt_s (local.get $t) (local.get $inWidth))))
          (local.set $c (i32.const 0))
          (block $channelsDone (loop $channelBlocks
            ;; $c counts bytes here: four channels are 16.
            (br_if $channelsDone (i32.ge_s (local.get $c) (local.get $positionBytes)))
            ;; Where in the window (0, 1, ... row by row) each lane's first maximum is; -1 if none.
            (local.set $best (f32x4.splat (f32.const -inf)))
            (local.set $where (i32x4.splat (i32.const -1)))
            (local.set $j (i32.const 0))
            (local.set $y (local.get $yFrom))
            (block $findDone (loop $findRows
              (br_if $findDone (i32.ge_s (local.get $y) (local.get $yTo)))
              (local.set $col (local.get $xFrom))
              (block $findRowDone (loop $findColumns
                (br_if $findRowDone (i32.ge_s (local.get $col) (local.get $xTo)))
                (local.set $at (i32.add (i32.add (local.get $x) (local.get $image))
                  (i32.add (i32.add (i32.mul (local.get $y) (local.get $rowBytes)) (i32.mul (local.get $col) (local.get $positionBytes)))
                    (local.get $c))))
                (local.set $value (v128.load align=4 (local.get $at)))
                (local.set $greater (f32x4.gt (local.get $value) (local.get $best)))
                (local.set $best (v128.bitselect (local.get $value) (local.get $best) (local.get $greater)))
                (local.set $where (v128.bitselect (i32x4.splat (local.get $j)) (local.get $where) (local.get $greater)))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (local.set $col (i32.add (local.get $col) (i32.const 1)))
                (br $findColumns)))
              (local.set $y (i32.add (local.get $y) (i32.const 1)))
              (br $findRows)))
            ;; Each window position gets the gradient in the lanes where it holds the maximum.
            (local.set $g (v128.load align=4 (i32.add (local.get $gradient) (local.get $c))))
            (local.set $j (i32.const 0))
            (local.set $y (local.get $yFrom))
            (block $writeDone (loop $writeRows
              (br_if $writeDone (i32.ge_s (local.get $y) (local.get $yTo)))
              (local.set $col (local.get $xFrom))
              (block $writeRowDone (loop $writeColumns
                (br_if $writeRowDone (i32.ge_s (local.get $col) (local.get $xTo)))
                (v128.store align=4
                  (i32.add (i32.add (local.get $dx) (local.get $image))
                    (i32.add (i32.add (i32.mul (local.get $y) (local.get $rowBytes)) (i32.mul (local.get $col) (local.get $positionBytes)))
                      (local.get $c)))
                  (v128.and (local.get $g) (i32x4.eq (local.get $where) (i32x4.splat (local.get $j)))))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (local.set $col (i32.add (local.get $col) (i32.const 1)))
                (br $writeColumns)))
              (local.set $y (i32.add (local.get $y) (i32.const 1)))
              (br $writeRows)))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (br $channelBlocks)))
          (local.set $gradient (i32.add (local.get $gradient) (local.get $positionBytes)))
          (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
          (br $columns)))
        (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
        (br $rows)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $images))))

  ;; One image row of a single-output-channel convolution: each output is
  ;; the dot product of the filter with the input patch under it. A filter
  ;; row's taps inside the image are contiguous in both the input and the
  ;; filter, so each is one run of vectors, summed into four interleaved
  ;; registers (one running sum made every addition wait for the one before).
  ;; $x is the image, $ih0 the input row under the filter's first row.
  (func $dotRow
    (param $x i32) (param $w i32) (param $y i32) (param $positionBytes i32) (param $ih0 i32)
    (param $inHeight i32) (param $inWidth i32) (param $outWidth i32) (param $filterHeight i32) (param $filterWidth i32)
    (param $strideWidth i32) (param $left i32) (param $offset f32)
    (local $ow i32) (local $iw i32) (local $kw0 i32) (local $kw1 i32) (local $kh i32) (local $ih i32)
    (local $a i32) (local $b i32) (local $end i32) (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local $xStep i32) (local $segmentBytes i32) (local $kh2 i32) (local $w0 v128)
    (local.set $xStep (i32.mul (local.get $positionBytes) (local.get $strideWidth)))
    (local.set $segmentBytes (i32.mul (local.get $positionBytes) (local.get $filterWidth)))
    (block $columnsDone (loop $columns
      (br_if $columnsDone (i32.ge_s (local.get $ow) (local.get $outWidth)))
      (local.set $iw (i32.sub (i32.mul (local.get $ow) (local.get $strideWidth)) (local.get $left)))
      (if (i32.and (i32.lt_s (i32.add (local.get $ow) (i32.const 1)) (local.get $outWidth))
            (i32.and (i32.ge_s (local.get $iw) (i32.const 0))
              (i32.le_s (i32.add (i32.add (local.get $iw) (local.get $strideWidth)) (local.get $filterWidth)) (local.get $inWidth))))
        (then
          ;; Two neighbouring outputs with their whole patches inside the
          ;; image: each filter vector, loaded once, serves both ($s0, $s1
          ;; for the first, $s2, $s3 for the second).
          (local.set $s0 (v128.const i32x4 0 0 0 0)) (local.set $s1 (v128.const i32x4 0 0 0 0))
          (local.set $s2 (v128.const i32x4 0 0 0 0)) (local.set $s3 (v128.const i32x4 0 0 0 0))
          (local.set $kh2 (i32.const 0))
          (block $pairRowsDone (loop $pairRows
            (br_if $pairRowsDone (i32.ge_s (local.get $kh2) (local.get $filterHeight)))
            (local.set $ih (i32.add (local.get $ih0) (local.get $kh2)))
            (if (i32.lt_u (local.get $ih) (local.get $inHeight))
              (then
                (local.set $a (i32.add (local.get $x) (i32.mul (local.get $positionBytes)
                  (i32.add (i32.mul (local.get $ih) (local.get $inWidth)) (local.get $iw)))))
                (local.set $b (i32.add (local.get $w) (i32.mul (local.get $segmentBytes) (local.get $kh2))))
                (local.set $end (i32.add (local.get $a) (local.get $segmentBytes)))
                (block $pairVectorsDone (loop $pairVectors
                  (br_if $pairVectorsDone (i32.gt_u (i32.add (local.get $a) (i32.const 32)) (local.get $end)))
                  (local.set $w0 (v128.load align=4 (local.get $b)))
                  (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (v128.load align=4 (local.get $a)) (local.get $w0))))
                  (local.set $s2 (f32x4.add (local.get $s2)
                    (f32x4.mul (v128.load align=4 (i32.add (local.get $a) (local.get $xStep))) (local.get $w0))))
                  (local.set $w0 (v128.load offset=16 align=4 (local.get $b)))
                  (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul (v128.load offset=16 align=4 (local.get $a)) (local.get $w0))))
                  (local.set $s3 (f32x4.add (local.get $s3)
                    (f32x4.mul (v128.load offset=16 align=4 (i32.add (local.get $a) (local.get $xStep))) (local.get $w0))))
                  (local.set $a (i32.add (local.get $a) (i32.const 32)))
                  (local.set $b (i32.add (local.get $b) (i32.const 32)))
                  (br $pairVectors)))
                (if (i32.lt_u (local.get $a) (local.get $end))
                  (then
                    (local.set $w0 (v128.load align=4 (local.get $b)))
                    (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (v128.load align=4 (local.get $a)) (local.get $w0))))
                    (local.set $s2 (f32x4.add (local.get $s2)
                      (f32x4.mul (v128.load align=4 (i32.add (local.get $a) (local.get $xStep))) (local.get $w0))))))))
            (local.set $kh2 (i32.add (local.get $kh2) (i32.const 1)))
            (br $pairRows)))
          (local.set $s0 (f32x4.add (local.get $s0) (local.get $s1)))
          (local.set $s2 (f32x4.add (local.get $s2) (local.get $s3)))
          (f32.store (local.get $y) (f32.add (local.get $offset)
            (f32.add
              (f32.add (f32x4.extract_lane 0 (local.get $s0)) (f32x4.extract_lane 1 (local.get $s0)))
              (f32.add (f32x4.extract_lane 2 (local.get $s0)) (f32x4.extract_lane 3 (local.get $s0))))))
          (f32.store offset=4 (local.get $y) (f32.add (local.get $offset)
            (f32.add
              (f32.add (f32x4.extract_lane 0 (local.get $s2)) (f32x4.extract_lane 1 (local.get $s2)))
              (f32.add (f32x4.extract_lane 2 (local.get $s2)) (f32x4.extract_lane 3 (local.get $s2))))))
          (local.set $y (i32.add (local.get $y) (i32.const 8)))
          (local.set $ow (i32.add (local.get $ow) (i32.const 2)))
          (br $columns)))
      ;; One output, its patch clipped to the image.
      (local.set $kw0 (select (i32.sub (i32.const 0) (local.get $iw)) (i32.const 0) (i32.lt_s (local.get $iw) (i32.const 0))))
      (local.set $kw1 (select (i32.sub (local.get $inWidth) (local.get $iw)) (local.get $filterWidth)
        (i32.lt_s (i32.sub (local.get $inWidth) (local.get $iw)) (local.get $filterWidth))))
      (local.set $s0 (v128.const i32x4 0 0 0 0)) (local.set $s1 (v128.const i32x4 0 0 0 0))
      (local.set $s2 (v128.const i32x4 0 0 0 0)) (local.set $s3 (v128.const i32x4 0 0 0 0))
      (local.set $kh (i32.const 0))
      (block $tapRowsDone (loop $tapRows
        (br_if $tapRowsDone (i32.ge_s (local.get $kh) (local.get $filterHeight)))
        (local.set $ih (i32.add (local.get $ih0) (local.get $kh)))
        ;; Unsigned: also rejects rows above the image.
        (if (i32.and (i32.lt_u (local.get $ih) (local.get $inHeight)) (i32.lt_s (local.get $kw0) (local.get $kw1)))
          (then
            (local.set $a (i32.add (local.get $x) (i32.mul (local.get $positionBytes)
              (i32.add (i32.mul (local.get $ih) (local.get $inWidth)) (i32.add (local.get $iw) (local.get $kw0))))))
            (local.set $b (i32.add (local.get $w) (i32.mul (local.get $positionBytes)
              (i32.add (i32.mul (local.get $kh) (local.get $filterWidth)) (local.get $kw0)))))
            (local.set $end (i32.add (local.get $a) (i32.mul (local.get $positionBytes) (i32.sub (local.get $kw1) (local.get $kw0)))))
            (block $blocksDone (loop $blocks
              (br_if $blocksDone (i32.gt_u (i32.add (local.get $a) (i32.const 64)) (local.get $end)))
              (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (v128.load align=4 (local.get $a)) (v128.load align=4 (local.get $b)))))
              (local.set $s1 (f32x4.add (local.get $s1)
                (f32x4.mul (v128.load offset=16 align=4 (local.get $a)) (v128.load offset=16 align=4 (local.get $b)))))
              (local.set $s2 (f32x4.add (local.get $s2)
                (f32x4.mul (v128.load offset=32 align=4 (local.get $a)) (v128.load offset=32 align=4 (local.get $b)))))
              (local.set $s3 (f32x4.add (local.get $s3)
                (f32x4.mul (v128.load offset=48 align=4 (local.get $a)) (v128.load offset=48 align=4 (local.get $b)))))
              (local.set $a (i32.add (local.get $a) (i32.const 64)))
              (local.set $b (i32.add (local.get $b) (i32.const 64)))
              (br $blocks)))
            (block $vectorsDone (loop $vectors
              (br_if $vectorsDone (i32.ge_u (local.get $a) (local.get $end)))
              (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (v128.load align=4 (local.get $a)) (v128.load align=4 (local.get $b)))))
              (local.set $a (i32.add (local.get $a) (i32.const 16)))
              (local.set $b (i32.add (local.get $b) (i32.const 16)))
              (br $vectors)))))
        (local.set $kh (i32.add (local.get $kh) (i32.const 1)))
        (br $tapRows)))
      (local.set $s0 (f32x4.add (f32x4.add (local.get $s0) (local.get $s1)) (f32x4.add (local.get $s2) (local.get $s3))))
      (f32.store (local.get $y) (f32.add (local.get $offset)
        (f32.add
          (f32.add (f32x4.extract_lane 0 (local.get $s0)) (f32x4.extract_lane 1 (local.get $s0)))
          (f32.add (f32x4.extract_lane 2 (local.get $s0)) (f32x4.extract_lane 3 (local.get $s0))))))
      (local.set $y (i32.add (local.get $y) (i32.const 4)))
      (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
      (br $columns))))

  ;; Convolution (NHWC, no dilation) with a single output channel, as an
  ;; image decoder's last layer has, row by row ($dotRow); $channels is a
  ;; multiple of 4. XNNPACK computes output channels in blocks of 8 and so
  ;; did eight times the work here. $bias is a pointer to one value, or -1.
  (func (export "singleOutputConvolution")
    (param $x i32) (param $w i32) (param $bias i32) (param $y i32)
    (param $batch i32) (param $inHeight i32) (param $inWidth i32) (param $channels i32)
    (param $outHeight i32) (param $outWidth i32) (param $filterHeight i32) (param $filterWidth i32)
    (param $strideHeight i32) (param $strideWidth i32) (param $top i32) (param $left i32)
    (local $n i32) (local $oh i32) (local $positionBytes i32) (local $imageBytes i32) (local $offset f32)
    (local.set $positionBytes (i32.shl (local.get $channels) (i32.const 2)))
    (local.set $imageBytes (i32.mul (i32.mul (local.get $inHeight) (local.get $inWidth)) (local.get $positionBytes)))
    (local.set $offset (if (result f32) (i32.ge_s (local.get $bias) (i32.const 0))
      (then (f32.load (local.get $bias))) (else (f32.const 0))))
    (block $imagesDone (loop $images
      (br_if $imagesDone (i32.ge_s (local.get $n) (local.get $batch)))
      (local.set $oh (i32.const 0))
      (block $rowsDone (loop $rows
        (br_if $rowsDone (i32.ge_s (local.get $oh) (local.get $outHeight)))
        (call $dotRow
          (i32.add (local.get $x) (i32.mul (local.get $n) (local.get $imageBytes))) (local.get $w) (local.get $y)
          (local.get $positionBytes) (i32.sub (i32.mul (local.get $oh) (local.get $strideHeight)) (local.get $top))
          (local.get $inHeight) (local.get $inWidth) (local.get $outWidth) (local.get $filterHeight) (local.get $filterWidth)
          (local.get $strideWidth) (local.get $left) (local.get $offset))
        (local.set $y (i32.add (local.get $y) (i32.shl (local.get $outWidth) (i32.const 2))))
        (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
        (br $rows)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $images))))

  ;; One image row of a single-input-channel convolution's outputs, for
  ;; sixteen of its channels (the pixel stride is $pixelBytes): each output
  ;; pixel gathers splat(x) * the tap's weights over the taps inside the
  ;; image, in four registers started from $b0..$b3 (bias or zero). $x is
  ;; the image, $w the filter (taps $pixelBytes apart) at this block.
  (func $gatherRow16
    (param $x i32) (param $w i32) (param $y i32) (param $pixelBytes i32) (param $ih0 i32)
    (param $inHeight i32) (param $inWidth i32) (param $outWidth i32) (param $filterHeight i32) (param $filterWidth i32)
    (param $strideWidth i32) (param $left i32) (param $b0 v128) (param $b1 v128) (param $b2 v128) (param $b3 v128)
    (local $ow i32) (local $iw i32) (local $kw0 i32) (local $kw1 i32) (local $kh i32) (local $ih i32) (local $kw i32)
    (local $xAt i32) (local $wAt i32) (local $xStep i32) (local $s v128) (local $t v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (local $w0 v128) (local $w1 v128) (local $w2 v128) (local $w3 v128)
    (local.set $xStep (i32.shl (local.get $strideWidth) (i32.const 2)))
    (block $columnsDone (loop $columns
      (br_if $columnsDone (i32.ge_s (local.get $ow) (local.get $outWidth)))
      (local.set $iw (i32.sub (i32.mul (local.get $ow) (local.get $strideWidth)) (local.get $left)))
      (local.set $kh (i32.const 0))
      (local.set $a0 (local.get $b0)) (local.set $a1 (local.get $b1))
      (local.set $a2 (local.get $b2)) (local.set $a3 (local.get $b3))
      (if (i32.and (i32.lt_s (i32.add (local.get $ow) (i32.const 1)) (local.get $outWidth))
            (i32.and (i32.ge_s (local.get $iw) (i32.const 0))
              (i32.le_s (i32.add (i32.add (local.get $iw) (local.get $strideWidth)) (local.get $filterWidth)) (local.get $inWidth))))
        (then
          ;; Two neighbouring pixels with every tap inside the image: each
          ;; tap's weights, loaded once, serve both, and eight running sums
          ;; instead of four keep the adder busy.
          (local.set $c0 (local.get $b0)) (local.set $c1 (local.get $b1))
          (local.set $c2 (local.get $b2)) (local.set $c3 (local.get $b3))
          (block $pairRowsDone (loop $pairRows
            (br_if $pairRowsDone (i32.ge_s (local.get $kh) (local.get $filterHeight)))
            (local.set $ih (i32.add (local.get $ih0) (local.get $kh)))
            (if (i32.lt_u (local.get $ih) (local.get $inHeight))
              (then
                (local.set $xAt (i32.add (local.get $x)
                  (i32.shl (i32.add (i32.mul (local.get $ih) (local.get $inWidth)) (local.get $iw)) (i32.const 2))))
                (local.set $wAt (i32.add (local.get $w) (i32.mul (local.get $pixelBytes) (i32.mul (local.get $kh) (local.get $filterWidth)))))
                (local.set $kw (i32.const 0))
                (block $pairTapsDone (loop $pairTaps
                  (br_if $pairTapsDone (i32.ge_s (local.get $kw) (local.get $filterWidth)))
                  (local.set $s (v128.load32_splat (local.get $xAt)))
                  (local.set $t (v128.load32_splat (i32.add (local.get $xAt) (local.get $xStep))))
                  (local.set $w0 (v128.load align=4 (local.get $wAt)))
                  (local.set $w1 (v128.load offset=16 align=4 (local.get $wAt)))
                  (local.set $w2 (v128.load offset=32 align=4 (local.get $wAt)))
                  (local.set $w3 (v128.load offset=48 align=4 (local.get $wAt)))
                  (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $s) (local.get $w0))))
                  (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $t) (local.get $w0))))
                  (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $s) (local.get $w1))))
                  (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (local.get $t) (local.get $w1))))
                  (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $s) (local.get $w2))))
                  (local.set $c2 (f32x4.add (local.get $c2) (f32x4.mul (local.get $t) (local.get $w2))))
                  (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $s) (local.get $w3))))
                  (local.set $c3 (f32x4.add (local.get $c3) (f32x4.mul (local.get $t) (local.get $w3))))
                  (local.set $xAt (i32.add (local.get $xAt) (i32.const 4)))
                  (local.set $wAt (i32.add (local.get $wAt) (local.get $pixelBytes)))
                  (local.set $kw (i32.add (local.get $kw) (i32.const 1)))
                  (br $pairTaps)))))
            (local.set $kh (i32.add (local.get $kh) (i32.const 1)))
            (br $pairRows)))
          (v128.store align=4 (local.get $y) (local.get $a0))
          (v128.store offset=16 align=4 (local.get $y) (local.get $a1))
          (v128.store offset=32 align=4 (local.get $y) (local.get $a2))
          (v128.store offset=48 align=4 (local.get $y) (local.get $a3))
          (local.set $y (i32.add (local.get $y) (local.get $pixelBytes)))
          (v128.store align=4 (local.get $y) (local.get $c0))
          (v128.store offset=16 align=4 (local.get $y) (local.get $c1))
          (v128.store offset=32 align=4 (local.get $y) (local.get $c2))
          (v128.store offset=48 align=4 (local.get $y) (local.get $c3))
          (local.set $y (i32.add (local.get $y) (local.get $pixelBytes)))
          (local.set $ow (i32.add (local.get $ow) (i32.const 2)))
          (br $columns)))
      ;; One pixel, its taps clipped to the image.
      (local.set $kw0 (select (i32.sub (i32.const 0) (local.get $iw)) (i32.const 0) (i32.lt_s (local.get $iw) (i32.const 0))))
      (local.set $kw1 (select (i32.sub (local.get $inWidth) (local.get $iw)) (local.get $filterWidth)
        (i32.lt_s (i32.sub (local.get $inWidth) (local.get $iw)) (local.get $filterWidth))))
      (block $tapRowsDone (loop $tapRows
        (br_if $tapRowsDone (i32.ge_s (local.get $kh) (local.get $filterHeight)))
        (local.set $ih (i32.add (local.get $ih0) (local.get $kh)))
        ;; Unsigned: also rejects rows above the image.
        (if (i32.lt_u (local.get $ih) (local.get $inHeight))
          (then
            (local.set $xAt (i32.add (local.get $x)
              (i32.shl (i32.add (i32.mul (local.get $ih) (local.get $inWidth)) (i32.add (local.get $iw) (local.get $kw0))) (i32.const 2))))
            (local.set $wAt (i32.add (local.get $w)
              (i32.mul (local.get $pixelBytes) (i32.add (i32.mul (local.get $kh) (local.get $filterWidth)) (local.get $kw0)))))
            (local.set $kw (local.get $kw0))
            (block $tapsDone (loop $taps
              (br_if $tapsDone (i32.ge_s (local.get $kw) (local.get $kw1)))
              (local.set $s (v128.load32_splat (local.get $xAt)))
              (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $s) (v128.load align=4 (local.get $wAt)))))
              (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $s) (v128.load offset=16 align=4 (local.get $wAt)))))
              (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $s) (v128.load offset=32 align=4 (local.get $wAt)))))
              (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $s) (v128.load offset=48 align=4 (local.get $wAt)))))
              (local.set $xAt (i32.add (local.get $xAt) (i32.const 4)))
              (local.set $wAt (i32.add (local.get $wAt) (local.get $pixelBytes)))
              (local.set $kw (i32.add (local.get $kw) (i32.const 1)))
              (br $taps)))))
        (local.set $kh (i32.add (local.get $kh) (i32.const 1)))
        (br $tapRows)))
      (v128.store align=4 (local.get $y) (local.get $a0))
      (v128.store offset=16 align=4 (local.get $y) (local.get $a1))
      (v128.store offset=32 align=4 (local.get $y) (local.get $a2))
      (v128.store offset=48 align=4 (local.get $y) (local.get $a3))
      (local.set $y (i32.add (local.get $y) (local.get $pixelBytes)))
      (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
      (br $columns))))

  ;; Convolution (NHWC, no dilation) of a single input channel into
  ;; $channels outputs (a multiple of 4, at least 16), as an image encoder's first layer
  ;; has, and the input gradient of a decoder's last: row by row
  ;; ($gatherRow16), sixteen channels at a time; where fewer than sixteen
  ;; remain, the last block overlaps the one before (recomputing a few
  ;; channels rather than keeping a narrower copy of the loop). $bias
  ;; points to $channels values, or is -1.
  (func (export "singleInputConvolution")
    (param $x i32) (param $w i32) (param $bias i32) (param $y i32)
    (param $batch i32) (param $inHeight i32) (param $inWidth i32) (param $channels i32)
    (param $outHeight i32) (param $outWidth i32) (param $filterHeight i32) (param $filterWidth i32)
    (param $strideHeight i32) (param $strideWidth i32) (param $top i32) (param $left i32)
    (local $n i32) (local $oh i32) (local $c i32) (local $pixelBytes i32) (local $rowBytes i32) (local $imageBytes i32)
    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local.set $pixelBytes (i32.shl (local.get $channels) (i32.const 2)))
    (local.set $rowBytes (i32.mul (local.get $outWidth) (local.get $pixelBytes)))
    (local.set $imageBytes (i32.shl (i32.mul (local.get $inHeight) (local.get $inWidth)) (i32.const 2)))
    (block $blocksDone (loop $blocks
      (br_if $blocksDone (i32.ge_s (local.get $c) (local.get $channels)))
      ;; The block's sixteen channels end at the last channel at most.
      (if (i32.gt_s (i32.add (local.get $c) (i32.const 16)) (local.get $channels))
        (then (local.set $c (i32.sub (local.get $channels) (i32.const 16)))))
      (if (i32.ge_s (local.get $bias) (i32.const 0))
        (then
          (local.set $b0 (v128.load align=4 (i32.add (local.get $bias) (i32.shl (local.get $c) (i32.const 2)))))
          (local.set $b1 (v128.load offset=16 align=4 (i32.add (local.get $bias) (i32.shl (local.get $c) (i32.const 2)))))
          (local.set $b2 (v128.load offset=32 align=4 (i32.add (local.get $bias) (i32.shl (local.get $c) (i32.const 2)))))
          (local.set $b3 (v128.load offset=48 align=4 (i32.add (local.get $bias) (i32.shl (local.get $c) (i32.const 2)))))))
      (local.set $n (i32.const 0))
      (block $imagesDone (loop $images
        (br_if $imagesDone (i32.ge_s (local.get $n) (local.get $batch)))
        (local.set $oh (i32.const 0))
        (block $rowsDone (loop $rows
          (br_if $rowsDone (i32.ge_s (local.get $oh) (local.get $outHeight)))
          (call $gatherRow16
            (i32.add (local.get $x) (i32.mul (local.get $n) (local.get $imageBytes)))
            (i32.add (local.get $w) (i32.shl (local.get $c) (i32.const 2)))
            (i32.add (i32.add (local.get $y) (i32.shl (local.get $c) (i32.const 2)))
              (i32.mul (i32.add (i32.mul (local.get $n) (local.get $outHeight)) (local.get $oh)) (local.get $rowBytes)))
            (local.get $pixelBytes)
            (i32.sub (i32.mul (local.get $oh) (local.get $strideHeight)) (local.get $top))
            (local.get $inHeight) (local.get $inWidth) (local.get $outWidth) (local.get $filterHeight) (local.get $filterWidth)
            (local.get $strideWidth) (local.get $left) (local.get $b0) (local.get $b1) (local.get $b2) (local.get $b3))
          (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
          (br $rows)))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $images)))
      (local.set $c (i32.add (local.get $c) (i32.const 16)))
      (br $blocks))))

  ;; Nearest-neighbour up-sampling (NHWC) by whole factors, Keras'
  ;; UpSampling2D: every input pixel's $channels values (a multiple of 4)
  ;; fill a $sh x $sw block. Each output row is built once, then copied.
  (func (export "upsampleNearest")
    (param $src i32) (param $dst i32) (param $batch i32) (param $height i32) (param $width i32) (param $channels i32)
    (param $sh i32) (param $sw i32)
    (local $rows i32) (local $row i32) (local $x i32) (local $r i32) (local $pixelBytes i32) (local $rowBytes i32)
    (local $start i32) (local $k i32)
    (local.set $pixelBytes (i32.shl (local.get $channels) (i32.const 2)))
    (local.set $rowBytes (i32.mul (i32.mul (local.get $pixelBytes) (local.get $width)) (local.get $sw)))
    (local.set $rows (i32.mul (local.get $batch) (local.get $height)))
    (local.set $row (i32.const 0))
    (block $rowsDone (loop $rowLoop
      (br_if $rowsDone (i32.ge_s (local.get $row) (local.get $rows)))
      (local.set $start (local.get $dst))
      (local.set $x (i32.const 0))
      (block $pixelsDone (loop $pixels
        (br_if $pixelsDone (i32.ge_s (local.get $x) (local.get $width)))
        (local.set $r (i32.const 0))
        (block $copiesDone (loop $copies
          (br_if $copiesDone (i32.ge_s (local.get $r) (local.get $sw)))
          ;; The pixel's channels, a vector at a time (a call per pixel cost more than the copy).
          (local.set $k (i32.const 0))
          (loop $vectors
            (v128.store align=4 (i32.add (local.get $dst) (local.get $k)) (v128.load align=4 (i32.add (local.get $src) (local.get $k))))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (br_if $vectors (i32.lt_u (local.get $k) (local.get $pixelBytes))))
          (local.set $dst (i32.add (local.get $dst) (local.get $pixelBytes)))
          (local.set $r (i32.add (local.get $r) (i32.const 1)))
          (br $copies)))
        (local.set $src (i32.add (local.get $src) (local.get $pixelBytes)))
        (local.set $x (i32.add (local.get $x) (i32.const 1)))
        (br $pixels)))
      (local.set $r (i32.const 1))
      (block $repeatsDone (loop $repeats
        (br_if $repeatsDone (i32.ge_s (local.get $r) (local.get $sh)))
        (memory.copy (local.get $dst) (local.get $start) (local.get $rowBytes))
        (local.set $dst (i32.add (local.get $dst) (local.get $rowBytes)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $repeats)))
      (local.set $row (i32.add (local.get $row) (i32.const 1)))
      (br $rowLoop))))

  ;; Its gradient: every input pixel gets the sum of its $sh x $sw block of
  ;; the output gradient $dy (NHWC, $channels a multiple of 4), summed row
  ;; by row.
  (func (export "upsampleNearestGradient")
    (param $dy i32) (param $dx i32) (param $batch i32) (param $height i32) (param $width i32) (param $channels i32)
    (param $sh i32) (param $sw i32)
    (local $rows i32) (local $row i32) (local $x i32) (local $c i32) (local $i i32)
    (local $pixelBytes i32) (local $outRowBytes i32) (local $block i32) (local $at i32) (local $sum v128)
    (local $end i32) (local $blockRowBytes i32)
    (local.set $pixelBytes (i32.shl (local.get $channels) (i32.const 2)))
    (local.set $outRowBytes (i32.mul (i32.mul (local.get $pixelBytes) (local.get $width)) (local.get $sw)))
    (local.set $blockRowBytes (i32.mul (local.get $pixelBytes) (local.get $sw)))
    (local.set $rows (i32.mul (local.get $batch) (local.get $height)))
    (local.set $row (i32.const 0))
    (block $rowsDone (loop $rowLoop
      (br_if $rowsDone (i32.ge_s (local.get $row) (local.get $rows)))
      (local.set $x (i32.const 0))
      (block $pixelsDone (loop $pixels
        (br_if $pixelsDone (i32.ge_s (local.get $x) (local.get $width)))
        ;; The block's top-left value in $dy.
        (local.set $block (i32.add (local.get $dy) (i32.add
          (i32.mul (i32.mul (local.get $row) (local.get $sh)) (local.get $outRowBytes))
          (i32.mul (i32.mul (local.get $x) (local.get $sw)) (local.get $pixelBytes)))))
        (local.set $c (i32.const 0))
        (block $channelsDone (loop $channelBlocks
          (br_if $channelsDone (i32.ge_s (local.get $c) (local.get $pixelBytes)))
          (local.set $sum (v128.const i32x4 0 0 0 0))
          (local.set $i (i32.const 0))
          (block $blockRowsDone (loop $blockRows
            (br_if $blockRowsDone (i32.ge_s (local.get $i) (local.get $sh)))
            (local.set $at (i32.add (i32.add (local.get $block) (local.get $c)) (i32.mul (local.get $i) (local.get $outRowBytes))))
            (local.set $end (i32.add (local.get $at) (local.get $blockRowBytes)))
            (loop $blockColumns
              (local.set $sum (f32x4.add (local.get $sum) (v128.load align=4 (local.get $at))))
              (local.set $at (i32.add (local.get $at) (local.get $pixelBytes)))
              (br_if $blockColumns (i32.lt_u (local.get $at) (local.get $end))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $blockRows)))
          (v128.store align=4 (local.get $dx) (local.get $sum))
          (local.set $dx (i32.add (local.get $dx) (i32.const 16)))
          (local.set $c (i32.add (local.get $c) (i32.const 16)))
          (br $channelBlocks)))
        (local.set $x (i32.add (local.get $x) (i32.const 1)))
        (br $pixels)))
      (local.set $row (i32.add (local.get $row) (i32.const 1)))
      (br $rowLoop))))

  ;; Adds a [$cols] vector to every row of a float32 [$rows, $cols] matrix
  ;; ($cols a multiple of 4): a layer's bias, added after its convolution.
  ;; tfjs' general broadcasting loop took 1.9 ms for [128, 28, 28, 16] + [16].
  (func (export "addToRows") (param $src i32) (param $vector i32) (param $dst i32) (param $rows i32) (param $cols i32)
    (local $end i32) (local $rowEnd i32) (local $at i32) (local $rowBytes i32)
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $end (i32.add (local.get $src) (i32.mul (local.get $rows) (local.get $rowBytes))))
    (block $rowsDone (loop $rowLoop
      (br_if $rowsDone (i32.ge_u (local.get $src) (local.get $end)))
      (local.set $rowEnd (i32.add (local.get $src) (local.get $rowBytes)))
      (local.set $at (local.get $vector))
      (block $vectorsDone (loop $vectors
        (br_if $vectorsDone (i32.ge_u (local.get $src) (local.get $rowEnd)))
        (v128.store align=4 (local.get $dst)
          (f32x4.add (v128.load align=4 (local.get $src)) (v128.load align=4 (local.get $at))))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (br $vectors)))
      (br $rowLoop))))

  ;; Natural logarithms of two vectors of positive floats, within about an
  ;; ulp: x = m * 2^e with m in [sqrt(1/2), sqrt(2)), log x = e ln 2 +
  ;; log(1 + (m - 1)), the last from a degree-9 polynomial (Cephes' logf
  ;; coefficients), ln 2 split in two so that e ln 2 adds no rounding.
  ;; tfjs' Log is a scalar libm call per element. Two vectors a call, their
  ;; steps interleaved: a call costs about as much as one vector's work
  ;; (V8 does not inline WebAssembly calls), and the two chains overlap.
  (func $logPair (param $a v128) (param $b v128) (result v128 v128)
    (local $mantissa v128) (local $one v128)
    (local $ea v128) (local $ma v128) (local $smalla v128) (local $za v128) (local $z4a v128) (local $ya v128)
    (local $eb v128) (local $mb v128) (local $smallb v128) (local $zb v128) (local $z4b v128) (local $yb v128)
    (local.set $mantissa (v128.const i32x4 0x007fffff 0x007fffff 0x007fffff 0x007fffff))
    (local.set $one (v128.const f32x4 1 1 1 1))
    (local.set $ea (i32x4.sub (i32x4.shr_u (local.get $a) (i32.const 23)) (v128.const i32x4 126 126 126 126)))
    (local.set $eb (i32x4.sub (i32x4.shr_u (local.get $b) (i32.const 23)) (v128.const i32x4 126 126 126 126)))
    (local.set $ma (v128.or (v128.and (local.get $a) (local.get $mantissa)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
    (local.set $mb (v128.or (v128.and (local.get $b) (local.get $mantissa)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
    ;; Below sqrt(1/2), double m (small lanes are all ones, -1 as integers).
    (local.set $smalla (f32x4.lt (local.get $ma) (v128.const f32x4 0.70710678 0.70710678 0.70710678 0.70710678)))
    (local.set $smallb (f32x4.lt (local.get $mb) (v128.const f32x4 0.70710678 0.70710678 0.70710678 0.70710678)))
    (local.set $ea (f32x4.convert_i32x4_s (i32x4.add (local.get $ea) (local.get $smalla))))
    (local.set $eb (f32x4.convert_i32x4_s (i32x4.add (local.get $eb) (local.get $smallb))))
    (local.set $ma (f32x4.sub (f32x4.add (local.get $ma) (v128.and (local.get $ma) (local.get $smalla))) (local.get $one)))
    (local.set $mb (f32x4.sub (f32x4.add (local.get $mb) (v128.and (local.get $mb) (local.get $smallb))) (local.get $one)))
    (local.set $za (f32x4.mul (local.get $ma) (local.get $ma)))
    (local.set $zb (f32x4.mul (local.get $mb) (local.get $mb)))
    ;; The polynomial by Estrin's scheme (pairs, then pairs of pairs): a
    ;; dependency chain of four multiply-adds instead of Horner's nine.
    (local.set $z4a (f32x4.mul (local.get $za) (local.get $za)))
    (local.set $z4b (f32x4.mul (local.get $zb) (local.get $zb)))
    (local.set $ya (f32x4.add
      (f32x4.add (f32x4.add (v128.const f32x4 3.3333331174e-1 3.3333331174e-1 3.3333331174e-1 3.3333331174e-1) (f32x4.mul (local.get $ma) (v128.const f32x4 -2.4999993993e-1 -2.4999993993e-1 -2.4999993993e-1 -2.4999993993e-1)))
        (f32x4.mul (local.get $za) (f32x4.add (v128.const f32x4 2.0000714765e-1 2.0000714765e-1 2.0000714765e-1 2.0000714765e-1) (f32x4.mul (local.get $ma) (v128.const f32x4 -1.6668057665e-1 -1.6668057665e-1 -1.6668057665e-1 -1.6668057665e-1)))))
      (f32x4.mul (local.get $z4a) (f32x4.add
        (f32x4.add (f32x4.add (v128.const f32x4 1.4249322787e-1 1.4249322787e-1 1.4249322787e-1 1.4249322787e-1) (f32x4.mul (local.get $ma) (v128.const f32x4 -1.2420140846e-1 -1.2420140846e-1 -1.2420140846e-1 -1.2420140846e-1)))
          (f32x4.mul (local.get $za) (f32x4.add (v128.const f32x4 1.1676998740e-1 1.1676998740e-1 1.1676998740e-1 1.1676998740e-1) (f32x4.mul (local.get $ma) (v128.const f32x4 -1.1514610310e-1 -1.1514610310e-1 -1.1514610310e-1 -1.1514610310e-1)))))
        (f32x4.mul (local.get $z4a) (v128.const f32x4 7.0376836292e-2 7.0376836292e-2 7.0376836292e-2 7.0376836292e-2))))))
    (local.set $yb (f32x4.add
      (f32x4.add (f32x4.add (v128.const f32x4 3.3333331174e-1 3.3333331174e-1 3.3333331174e-1 3.3333331174e-1) (f32x4.mul (local.get $mb) (v128.const f32x4 -2.4999993993e-1 -2.4999993993e-1 -2.4999993993e-1 -2.4999993993e-1)))
        (f32x4.mul (local.get $zb) (f32x4.add (v128.const f32x4 2.0000714765e-1 2.0000714765e-1 2.0000714765e-1 2.0000714765e-1) (f32x4.mul (local.get $mb) (v128.const f32x4 -1.6668057665e-1 -1.6668057665e-1 -1.6668057665e-1 -1.6668057665e-1)))))
      (f32x4.mul (local.get $z4b) (f32x4.add
        (f32x4.add (f32x4.add (v128.const f32x4 1.4249322787e-1 1.4249322787e-1 1.4249322787e-1 1.4249322787e-1) (f32x4.mul (local.get $mb) (v128.const f32x4 -1.2420140846e-1 -1.2420140846e-1 -1.2420140846e-1 -1.2420140846e-1)))
          (f32x4.mul (local.get $zb) (f32x4.add (v128.const f32x4 1.1676998740e-1 1.1676998740e-1 1.1676998740e-1 1.1676998740e-1) (f32x4.mul (local.get $mb) (v128.const f32x4 -1.1514610310e-1 -1.1514610310e-1 -1.1514610310e-1 -1.1514610310e-1)))))
        (f32x4.mul (local.get $z4b) (v128.const f32x4 7.0376836292e-2 7.0376836292e-2 7.0376836292e-2 7.0376836292e-2))))))
    (local.set $ya (f32x4.mul (f32x4.mul (local.get $ya) (local.get $ma)) (local.get $za)))
    (local.set $yb (f32x4.mul (f32x4.mul (local.get $yb) (local.get $mb)) (local.get $zb)))
    (local.set $ya (f32x4.add (local.get $ya) (f32x4.mul (local.get $ea) (v128.const f32x4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4))))
    (local.set $yb (f32x4.add (local.get $yb) (f32x4.mul (local.get $eb) (v128.const f32x4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4))))
    (local.set $ya (f32x4.sub (local.get $ya) (f32x4.mul (local.get $za) (v128.const f32x4 0.5 0.5 0.5 0.5))))
    (local.set $yb (f32x4.sub (local.get $yb) (f32x4.mul (local.get $zb) (v128.const f32x4 0.5 0.5 0.5 0.5))))
    (local.set $ya (f32x4.add (f32x4.add (local.get $ma) (local.get $ya)) (f32x4.mul (local.get $ea) (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375))))
    (local.set $yb (f32x4.add (f32x4.add (local.get $mb) (local.get $yb)) (f32x4.mul (local.get $eb) (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375))))
    ;; NaN in, NaN out: x - x is 0 for every finite x.
    (f32x4.add (local.get $ya) (f32x4.sub (local.get $a) (local.get $a)))
    (f32x4.add (local.get $yb) (f32x4.sub (local.get $b) (local.get $b))))

  ;; p clipped to [1e-7, 1 - 1e-7], as the loss does before taking logs. The
  ;; pseudo-minimum and maximum are one instruction each (min and max handle
  ;; NaN and -0 in several) and, with p first, still pass a NaN through.
  (func $clipProbability (param $p v128) (result v128)
    (f32x4.pmin (f32x4.pmax (local.get $p) (v128.const f32x4 1e-7 1e-7 1e-7 1e-7))
      (v128.const f32x4 0.9999999 0.9999999 0.9999999 0.9999999)))

  ;; Elementwise binary cross-entropy of four outputs $p against targets $t.
  (func $crossEntropy4 (param $p v128) (param $t v128) (result v128)
    (local $logP v128) (local $log1mP v128)
    (local.set $p (call $clipProbability (local.get $p)))
    (call $logPair (local.get $p) (f32x4.sub (v128.const f32x4 1 1 1 1) (local.get $p)))
    (local.set $log1mP)
    (local.set $logP)
    (f32x4.neg (f32x4.add (local.get $log1mP)
      (f32x4.mul (local.get $t) (f32x4.sub (local.get $logP) (local.get $log1mP))))))

  ;; Its gradient for the outputs, times the incoming gradient $dy: dy (p - t) / (p (1 - p)), p clipped.
  (func $crossEntropyGradient4 (param $p v128) (param $t v128) (param $dy v128) (result v128)
    (local.set $p (call $clipProbability (local.get $p)))
    (f32x4.div (f32x4.mul (local.get $dy) (f32x4.sub (local.get $p) (local.get $t)))
      (f32x4.mul (local.get $p) (f32x4.sub (v128.const f32x4 1 1 1 1) (local.get $p)))))

  ;; out[i] = -(t log p + (1 - t) log(1 - p)) for $n elements, p clipped to [1e-7, 1 - 1e-7].
  (func (export "binaryCrossEntropy") (param $p i32) (param $t i32) (param $out i32) (param $n i32)
    (local $end i32) (local $vectorEnd i32) (local $clipped v128) (local $logP v128) (local $log1mP v128)
    (local $low v128) (local $high v128) (local $one v128)
    (local.set $low (v128.const f32x4 1e-7 1e-7 1e-7 1e-7))
    (local.set $high (v128.const f32x4 0.9999999 0.9999999 0.9999999 0.9999999))
    (local.set $one (v128.const f32x4 1 1 1 1))
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vectorEnd (i32.add (local.get $p) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    ;; The vector loop repeats $crossEntropy4 inline but for the logarithms.
    (block $vectorsDone (loop $vectors
      (br_if $vectorsDone (i32.ge_u (local.get $p) (local.get $vectorEnd)))
      (local.set $clipped (f32x4.pmin (f32x4.pmax (v128.load align=4 (local.get $p)) (local.get $low)) (local.get $high)))
      (call $logPair (local.get $clipped) (f32x4.sub (local.get $one) (local.get $clipped)))
      (local.set $log1mP)
      (local.set $logP)
      (v128.store align=4 (local.get $out) (f32x4.neg (f32x4.add (local.get $log1mP)
        (f32x4.mul (v128.load align=4 (local.get $t)) (f32x4.sub (local.get $logP) (local.get $log1mP))))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (local.set $t (i32.add (local.get $t) (i32.const 16)))
      (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (br $vectors)))
    (block $scalarsDone (loop $scalars
      (br_if $scalarsDone (i32.ge_u (local.get $p) (local.get $end)))
      (f32.store (local.get $out) (f32x4.extract_lane 0
        (call $crossEntropy4 (v128.load32_splat (local.get $p)) (v128.load32_splat (local.get $t)))))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (local.set $t (i32.add (local.get $t) (i32.const 4)))
      (local.set $out (i32.add (local.get $out) (i32.const 4)))
      (br $scalars))))

  ;; dp[i] = dy[i] (p - t) / (p (1 - p)) for $n elements, p clipped as above.
  (func (export "binaryCrossEntropyGradient") (param $p i32) (param $t i32) (param $dy i32) (param $dp i32) (param $n i32)
    (local $end i32) (local $vectorEnd i32) (local $clipped v128) (local $low v128) (local $high v128) (local $one v128)
    (local.set $low (v128.const f32x4 1e-7 1e-7 1e-7 1e-7))
    (local.set $high (v128.const f32x4 0.9999999 0.9999999 0.9999999 0.9999999))
    (local.set $one (v128.const f32x4 1 1 1 1))
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vectorEnd (i32.add (local.get $p) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    ;; The vector loop repeats $crossEntropyGradient4 inline.
    (block $vectorsDone (loop $vectors
      (br_if $vectorsDone (i32.ge_u (local.get $p) (local.get $vectorEnd)))
      (local.set $clipped (f32x4.pmin (f32x4.pmax (v128.load align=4 (local.get $p)) (local.get $low)) (local.get $high)))
      (v128.store align=4 (local.get $dp) (f32x4.div
        (f32x4.mul (v128.load align=4 (local.get $dy)) (f32x4.sub (local.get $clipped) (v128.load align=4 (local.get $t))))
        (f32x4.mul (local.get $clipped) (f32x4.sub (local.get $one) (local.get $clipped)))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (local.set $t (i32.add (local.get $t) (i32.const 16)))
      (local.set $dy (i32.add (local.get $dy) (i32.const 16)))
      (local.set $dp (i32.add (local.get $dp) (i32.const 16)))
      (br $vectors)))
    (block $scalarsDone (loop $scalars
      (br_if $scalarsDone (i32.ge_u (local.get $p) (local.get $end)))
      (f32.store (local.get $dp) (f32x4.extract_lane 0 (call $crossEntropyGradient4
        (v128.load32_splat (local.get $p)) (v128.load32_splat (local.get $t)) (v128.load32_splat (local.get $dy)))))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (local.set $t (i32.add (local.get $t) (i32.const 4)))
      (local.set $dy (i32.add (local.get $dy) (i32.const 4)))
      (local.set $dp (i32.add (local.get $dp) (i32.const 4)))
      (br $scalars))))

  ;; The ReLU's gradient, dx = dy * step(x), for $n elements: dy where x > 0,
  ;; else 0, and NaN where x is NaN, as tfjs' Step gives. tfjs composes it
  ;; from Step, Cast and Multiply, three passes over the tensors.
  (func $reluGradient4 (param $x v128) (param $dy v128) (result v128)
    (f32x4.mul (local.get $dy)
      (v128.bitselect (local.get $x)
        (v128.and (f32x4.gt (local.get $x) (v128.const f32x4 0 0 0 0)) (v128.const f32x4 1 1 1 1))
        (f32x4.ne (local.get $x) (local.get $x)))))

  (func (export "reluGradient") (param $x i32) (param $dy i32) (param $dx i32) (param $n i32)
    (local $end i32) (local $vectorEnd i32) (local $v v128) (local $zero v128) (local $one v128)
    (local.set $one (v128.const f32x4 1 1 1 1))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vectorEnd (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    ;; The vector loop repeats $reluGradient4 inline: a call per vector cost
    ;; more than the work (V8 does not inline WebAssembly calls).
    (block $vectorsDone (loop $vectors
      (br_if $vectorsDone (i32.ge_u (local.get $x) (local.get $vectorEnd)))
      (local.set $v (v128.load align=4 (local.get $x)))
      (v128.store align=4 (local.get $dx)
        (f32x4.mul (v128.load align=4 (local.get $dy))
          (v128.bitselect (local.get $v) (v128.and (f32x4.gt (local.get $v) (local.get $zero)) (local.get $one))
            (f32x4.ne (local.get $v) (local.get $v)))))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (local.set $dy (i32.add (local.get $dy) (i32.const 16)))
      (local.set $dx (i32.add (local.get $dx) (i32.const 16)))
      (br $vectors)))
    (block $scalarsDone (loop $scalars
      (br_if $scalarsDone (i32.ge_u (local.get $x) (local.get $end)))
      (f32.store (local.get $dx) (f32x4.extract_lane 0
        (call $reluGradient4 (v128.load32_splat (local.get $x)) (v128.load32_splat (local.get $dy)))))
      (local.set $x (i32.add (local.get $x) (i32.const 4)))
      (local.set $dy (i32.add (local.get $dy) (i32.const 4)))
      (local.set $dx (i32.add (local.get $dx) (i32.const 4)))
      (br $scalars))))

  ;; One Adam step for $n weights, written to fresh buffers ($newValue,
  ;; $newM, $newV): the same float32 operations in the same order as tfjs'
  ;; AdamOptimizer, so the result is bit for bit tfjs', in one pass instead
  ;; of fourteen kernels a variable:
  ;;   m' = m b1 + g (1 - b1);  v' = v b2 + g g (1 - b2)
  ;;   value' = (m' / c1) / (sqrt(v' / c2) + eps) * (-lr) + value
  ;; with c1 = 1 - b1^t and c2 = 1 - b2^t.
  (func (export "adamUpdate")
    (param $value i32) (param $m i32) (param $v i32) (param $g i32)
    (param $newValue i32) (param $newM i32) (param $newV i32) (param $n i32)
    (param $beta1 f32) (param $oneMinusBeta1 f32) (param $beta2 f32) (param $oneMinusBeta2 f32)
    (param $c1 f32) (param $c2 f32) (param $epsilon f32) (param $negativeRate f32)
    (local $i i32) (local $vectorBytes i32) (local $bytes i32) (local $gv v128) (local $mv v128) (local $vv v128)
    (local $b1 v128) (local $ob1 v128) (local $b2 v128) (local $ob2 v128) (local $k1 v128) (local $k2 v128) (local $e v128) (local $r v128)
    (local.set $b1 (f32x4.splat (local.get $beta1))) (local.set $ob1 (f32x4.splat (local.get $oneMinusBeta1)))
    (local.set $b2 (f32x4.splat (local.get $beta2))) (local.set $ob2 (f32x4.splat (local.get $oneMinusBeta2)))
    (local.set $k1 (f32x4.splat (local.get $c1))) (local.set $k2 (f32x4.splat (local.get $c2)))
    (local.set $e (f32x4.splat (local.get $epsilon))) (local.set $r (f32x4.splat (local.get $negativeRate)))
    (local.set $bytes (i32.shl (local.get $n) (i32.const 2)))
    (local.set $vectorBytes (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (block $vectorsDone (loop $vectors
      (br_if $vectorsDone (i32.ge_u (local.get $i) (local.get $vectorBytes)))
      (local.set $gv (v128.load align=4 (i32.add (local.get $g) (local.get $i))))
      (local.set $mv (f32x4.add (f32x4.mul (v128.load align=4 (i32.add (local.get $m) (local.get $i))) (local.get $b1))
        (f32x4.mul (local.get $gv) (local.get $ob1))))
      (local.set $vv (f32x4.add (f32x4.mul (v128.load align=4 (i32.add (local.get $v) (local.get $i))) (local.get $b2))
        (f32x4.mul (f32x4.mul (local.get $gv) (local.get $gv)) (local.get $ob2))))
      (v128.store align=4 (i32.add (local.get $newM) (local.get $i)) (local.get $mv))
      (v128.store align=4 (i32.add (local.get $newV) (local.get $i)) (local.get $vv))
      (v128.store align=4 (i32.add (local.get $newValue) (local.get $i))
        (f32x4.add
          (f32x4.mul
            (f32x4.div (f32x4.div (local.get $mv) (local.get $k1))
              (f32x4.add (f32x4.sqrt (f32x4.div (local.get $vv) (local.get $k2))) (local.get $e)))
            (local.get $r))
          (v128.load align=4 (i32.add (local.get $value) (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $vectors)))
    (block $scalarsDone (loop $scalars
      (br_if $scalarsDone (i32.ge_u (local.get $i) (local.get $bytes)))
      (local.set $gv (f32x4.splat (f32.load (i32.add (local.get $g) (local.get $i)))))
      (local.set $mv (f32x4.add (f32x4.mul (f32x4.splat (f32.load (i32.add (local.get $m) (local.get $i)))) (local.get $b1))
        (f32x4.mul (local.get $gv) (local.get $ob1))))
      (local.set $vv (f32x4.add (f32x4.mul (f32x4.splat (f32.load (i32.add (local.get $v) (local.get $i)))) (local.get $b2))
        (f32x4.mul (f32x4.mul (local.get $gv) (local.get $gv)) (local.get $ob2))))
      (f32.store (i32.add (local.get $newM) (local.get $i)) (f32x4.extract_lane 0 (local.get $mv)))
      (f32.store (i32.add (local.get $newV) (local.get $i)) (f32x4.extract_lane 0 (local.get $vv)))
      (f32.store (i32.add (local.get $newValue) (local.get $i)) (f32x4.extract_lane 0
        (f32x4.add
          (f32x4.mul
            (f32x4.div (f32x4.div (local.get $mv) (local.get $k1))
              (f32x4.add (f32x4.sqrt (f32x4.div (local.get $vv) (local.get $k2))) (local.get $e)))
            (local.get $r))
          (f32x4.splat (f32.load (i32.add (local.get $value) (local.get $i)))))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $scalars))))
)
