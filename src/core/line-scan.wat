;; The archive fast path's line scanner: one pass over a region of whole lines that counts them,
;; classifies the start lines of a OneLineFormatter log, and reports only what JavaScript must act
;; on. Built into src/core/line-scan-wasm.ts by `npm run build:wasm` (scripts/build-wasm.mjs);
;; line-scan.ts loads it and says how it is used.
;;
;; Each line (without the `\r` before its newline) gets a code:
;;   0  not reported: it can start neither a record of the decided format nor one of another;
;;   1  a record start whose logger cannot yield an event (JavaScript only counts the record);
;;   2  JavaScript classifies it itself: a line over `maxLine` bytes, or a line this scan does not
;;      decide (a control or non-ASCII byte where JavaScript's \s test would need the character);
;;   3  a record start whose logger may be a cluster or lifecycle logger (JavaScript tells which),
;;      with where its logger and message are;
;;   4  no record start of this format, but its first two bytes may start another format's record.
;; A start is the OneLineFormatter pattern of cluster-prefilter.ts, followed byte for byte:
;;   ^TIME LEVEL [THREAD] LOGGER.METHOD( MESSAGE)?$
;; TIME: each byte within the signature's range, and the month word one of the listed words.
;; The logger test is a superset of the exact one: a cluster logger begins with `o` and holds `c.`
;; or `a.` followed by `h` or `t` (o(rg)?.a(pache)?.c(atalina)?.(ha|tribes|t|h.x).); a lifecycle
;; logger's simple name has its (length, first byte) marked in the names table, and its record is
;; reported only when its message may begin with a template's literal prefix (its first three
;; bytes are not three printable ASCII bytes, or a listed key and it begins with one of the key's
;; whole prefixes): the recogniser's mayMatch, a little coarser.
;;
;; Consecutive code-1 lines (with only unreported lines between them) make one report: a run.
;;
;; A catalina.out's starts name few loggers (62 distinct `logger.method` words in 345 000 starts of
;; the bench input), so valid logger words followed by a space (4 to 62 bytes) are kept with what
;; was found of them, in 16 slots picked by the word's length and last four bytes: a start whose
;; word and space are those of its slot takes that rather than scanning the word again (what is
;; kept depends only on the word's bytes and the tables, which a kernel never changes).
;;
;; Memory is owned by the caller: the region at [s, end), end - 1 a newline, 64 readable bytes
;; after end (blocks of 32 are loaded, and a kept logger word is compared with the 64 bytes from
;; a logger's start, which is before end); the reports at `out`, eight i32 each: the line's
;; start, its newline position, its index in this call, its code, then for a run the further
;; starts in it, the last one's newline position and index (for a single line: 0, its own newline
;; and index), one unused; for code 3 instead: the logger's start, the line's newline, the
;; logger's end (its last dot) and the message's start. Positions are
;; written less `base` and indexes plus `lineBase` (the caller's region offsets and line numbers,
;; so that JavaScript need not adjust each report); and at `tbl`:
;;   +0      256 first-byte bits: 1 check the signature, 2 report the line
;;   +256    names table: 64 rows (simple-name length, 63 for longer) of 256 (first byte)
;;   +16640  signature low bytes (128), +16768 signature spans (128): byte - low <= span;
;;           positions past the signature have low 0, span 255
;;   +16896  month word: offset in the line (u8), count (u8), 2 unused, mask (i32), then the
;;           words as little-endian i32 (64)
;;   +17160  byte classes (256): 0 other, 1 ASCII whitespace but the space, 2 the space, 3 the
;;           dot, 4 a bracket, 5 a lead byte of a non-ASCII \s character
;;   +17416  second bytes (256 rows of 32 bytes): bit (b & 7) of byte (first * 32 + (b >> 3)) is 1
;;           when another format's start may begin with the bytes first, b
;;   +25608  message first bytes (256): 1 when a lifecycle logger's message starting with this byte
;;           goes to JavaScript whatever follows (a template's literal prefix is that short)
;;   +25864  message keys (1024 i32): the first three bytes of the templates' literal prefixes
;;           (printable ASCII), little-endian, hashed (see $messageMay), 0 for an empty slot; the
;;           fourth byte: the key's list of whole prefixes, 0 for none (any message with the key
;;           goes to JavaScript)
;;   +29960  prefix lists (256 u16): where list k begins in the prefix bytes
;;   +30472  prefix bytes (8192): each list its prefixes, each a length byte and its UTF-8 bytes (a
;;           space stands for a run of white space, as in matchTemplate), then a 0
;;   +38672  kept logger words, the kernel's own (zero at first, not part of the plan): 16 slots
;;           of 80 bytes, the word's first 64 bytes, then its length (i32), its last dot (i32,
;;           from its start) and its class (i32: 3 cluster, 2 lifecycle name, 1 other)
;; Newlines (32 bytes a turn), the signature, `]` and the logger word's end are found 16 bytes at a time (SIMD
;; compares and bitmasks); the rest is inline scalar code (the V8 of Node 20 does not inline
;; WebAssembly calls, so nothing runs per byte through a call, and a start's tests, the signature,
;; the level and thread and the logger word, are written inline in `scan`: their three calls a
;; start were ~10% of the scan).

(module
  (memory (export "memory") 1)
  ;; Where the next call should start (a line start, or `end` when the region is done).
  (global $resume (export "resume") (mut i32) (i32.const 0))
  ;; Lines finished by the last call.
  (global $lines (export "lines") (mut i32) (i32.const 0))
  ;; 1 when the last call loaded no byte >= 0x80 (its lines are ASCII, hence valid UTF-8).
  (global $ascii (export "ascii") (mut i32) (i32.const 0))
  ;; Where the logger and message of the last start are, as the $loggerAt block found them (code 3).
  (global $loggerStart (mut i32) (i32.const 0))
  (global $loggerEnd (mut i32) (i32.const 0))
  (global $messageStart (mut i32) (i32.const 0))

  ;; 1 when the logger at $q may be a cluster logger: o(rg)?.a(pache)?.c(atalina)?. then h or t
  (func $clusterLike (param $q i32) (result i32)
    (local $i i32) (local $b i32)
    (local.set $i (local.get $q))
    (if (i32.ne (i32.load8_u (local.get $i)) (i32.const 0x6f)) (then (return (i32.const 0)))) ;; o
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (if (i32.eq (i32.load16_u (local.get $i)) (i32.const 0x6772)) ;; rg
      (then (local.set $i (i32.add (local.get $i) (i32.const 2)))))
    (if (i32.ne (i32.load16_u (local.get $i)) (i32.const 0x612e)) (then (return (i32.const 0)))) ;; .a
    (local.set $i (i32.add (local.get $i) (i32.const 2)))
    (if (i32.and (i32.eq (i32.load (local.get $i)) (i32.const 0x68636170)) ;; pach
                 (i32.eq (i32.load8_u offset=4 (local.get $i)) (i32.const 0x65))) ;; e
      (then (local.set $i (i32.add (local.get $i) (i32.const 5)))))
    (if (i32.ne (i32.load16_u (local.get $i)) (i32.const 0x632e)) (then (return (i32.const 0)))) ;; .c
    (local.set $i (i32.add (local.get $i) (i32.const 2)))
    (if (i32.and (i32.eq (i32.load (local.get $i)) (i32.const 0x6c617461)) ;; atal
                 (i32.and (i32.eq (i32.load16_u offset=4 (local.get $i)) (i32.const 0x6e69)) ;; in
                          (i32.eq (i32.load8_u offset=6 (local.get $i)) (i32.const 0x61)))) ;; a
      (then (local.set $i (i32.add (local.get $i) (i32.const 7)))))
    (if (i32.ne (i32.load8_u (local.get $i)) (i32.const 0x2e)) (then (return (i32.const 0)))) ;; .
    (local.set $b (i32.load8_u offset=1 (local.get $i)))
    (i32.or (i32.eq (local.get $b) (i32.const 0x68)) (i32.eq (local.get $b) (i32.const 0x74)))) ;; h t

  ;; 3 when a lifecycle logger's message at [$m, $e) may match a template (JavaScript decides),
  ;; 1 when none can: after its leading spaces and tabs (firstLine's), its first three bytes are
  ;; printable ASCII, no short prefix begins with the first, and they are no listed key, or the
  ;; message begins with none of that key's prefixes.
  (func $messageMay (param $m i32) (param $e i32) (param $tbl i32) (result i32)
    (local $b i32) (local $key i32) (local $h i32) (local $slot i32)
    (block $trimmed
      (loop $skip
        (br_if $trimmed (i32.ge_u (local.get $m) (local.get $e)))
        (local.set $b (i32.load8_u (local.get $m)))
        (br_if $trimmed (i32.and (i32.ne (local.get $b) (i32.const 0x20)) (i32.ne (local.get $b) (i32.const 0x09))))
        (local.set $m (i32.add (local.get $m) (i32.const 1)))
        (br $skip)))
    (if (i32.lt_u (i32.sub (local.get $e) (local.get $m)) (i32.const 3)) (then (return (i32.const 3))))
    (local.set $key (i32.and (i32.load (local.get $m)) (i32.const 0xffffff)))
    ;; each of the three bytes in 0x21..0x7e: (b - 0x21) <= 0x5d, byte-wise without borrows
    (if (i32.gt_u (i32.sub (i32.and (local.get $key) (i32.const 0xff)) (i32.const 0x21)) (i32.const 0x5d)) (then (return (i32.const 3))))
    (if (i32.gt_u (i32.sub (i32.and (i32.shr_u (local.get $key) (i32.const 8)) (i32.const 0xff)) (i32.const 0x21)) (i32.const 0x5d)) (then (return (i32.const 3))))
    (if (i32.gt_u (i32.sub (i32.shr_u (local.get $key) (i32.const 16)) (i32.const 0x21)) (i32.const 0x5d)) (then (return (i32.const 3))))
    (if (i32.load8_u offset=25608 (i32.add (local.get $tbl) (i32.and (local.get $key) (i32.const 0xff)))) (then (return (i32.const 3))))
    (local.set $h (i32.shr_u (i32.mul (local.get $key) (i32.const 0x9e3779b1)) (i32.const 22)))
    (loop $probe
      (local.set $slot (i32.load offset=25864 (i32.add (local.get $tbl) (i32.shl (local.get $h) (i32.const 2)))))
      (if (i32.eq (i32.and (local.get $slot) (i32.const 0xffffff)) (local.get $key))
        (then (return (call $prefixFits (local.get $m) (local.get $e) (local.get $tbl) (i32.shr_u (local.get $slot) (i32.const 24))))))
      (if (i32.eqz (local.get $slot)) (then (return (i32.const 1))))
      (local.set $h (i32.and (i32.add (local.get $h) (i32.const 1)) (i32.const 1023)))
      (br $probe))
    (i32.const 1))

  ;; 3 when the message at [$m, $e) may begin with one of the prefixes of list $list (matchTemplate's
  ;; head: a space takes a run of one or more white space characters, every other byte itself), 1
  ;; when it begins with none. List 0 is no list: 3. A byte >= 0x80 where a run of white space is
  ;; read may be U+00A0 or U+202F, which JavaScript decides: 3. Most of VersionLoggerListener's
  ;; lines share their first three bytes with a template ("Server built:", "Server version:"):
  ;; without this each went to JavaScript, to be decoded and turned down there.
  (func $prefixFits (param $m i32) (param $e i32) (param $tbl i32) (param $list i32) (result i32)
    (local $p i32) (local $end i32) (local $i i32) (local $c i32) (local $b i32)
    (if (i32.eqz (local.get $list)) (then (return (i32.const 3))))
    ;; $p and $end: the list's bytes less 30472, where they are read from
    (local.set $p (i32.add (local.get $tbl)
      (i32.load16_u offset=29960 (i32.add (local.get $tbl) (i32.shl (local.get $list) (i32.const 1))))))
    (block $none
      (loop $prefix
        (local.set $end (i32.load8_u offset=30472 (local.get $p)))
        (br_if $none (i32.eqz (local.get $end)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (local.set $end (i32.add (local.get $p) (local.get $end)))
        (local.set $i (local.get $m))
        (block $next
          (loop $byte
            (if (i32.ge_u (local.get $p) (local.get $end)) (then (return (i32.const 3)))) ;; all of it is there
            (br_if $next (i32.ge_u (local.get $i) (local.get $e))) ;; the line ends first
            (local.set $c (i32.load8_u offset=30472 (local.get $p)))
            (local.set $b (i32.load8_u (local.get $i)))
            (if (i32.eq (local.get $c) (i32.const 0x20))
              (then
                (if (i32.ge_u (local.get $b) (i32.const 0x80)) (then (return (i32.const 3))))
                (br_if $next (i32.and (i32.ne (local.get $b) (i32.const 0x20)) (i32.ne (local.get $b) (i32.const 0x09))))
                (block $runEnd
                  (loop $run
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (br_if $runEnd (i32.ge_u (local.get $i) (local.get $e)))
                    (local.set $b (i32.load8_u (local.get $i)))
                    (br_if $run (i32.or (i32.eq (local.get $b) (i32.const 0x20)) (i32.eq (local.get $b) (i32.const 0x09))))
                    (if (i32.ge_u (local.get $b) (i32.const 0x80)) (then (return (i32.const 3)))))))
              (else
                (br_if $next (i32.ne (local.get $b) (local.get $c)))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $byte)))
        (local.set $p (local.get $end))
        (br $prefix)))
    (i32.const 1))

  ;; 1 when the second-byte bits allow the line at $s to begin with its first two bytes. A call of
  ;; its own: only the rare line whose first byte may start another format pays for it.
  (func $pairMay (param $s i32) (param $tbl i32) (result i32)
    (local $b i32)
    (local.set $b (i32.load8_u offset=1 (local.get $s)))
    (i32.and
      (i32.shr_u
        (i32.load8_u offset=17416 (i32.add (local.get $tbl)
          (i32.add (i32.shl (i32.load8_u (local.get $s)) (i32.const 5)) (i32.shr_u (local.get $b) (i32.const 3)))))
        (i32.and (local.get $b) (i32.const 7)))
      (i32.const 1)))

  ;; Scans from line start $s; stops at $end or after $cap reports. Returns the reports written.
  (func (export "scan")
    (param $s i32) (param $end i32) (param $out i32) (param $cap i32)
    (param $tbl i32) (param $sigLen i32) (param $maxLine i32) (param $base i32) (param $lineBase i32)
    (result i32)
    (local $p i32) (local $mask i32) (local $nl i32) (local $e i32) (local $n i32) (local $lines i32)
    (local $t i32) (local $code i32) (local $v v128) (local $v2 v128) (local $acc v128)
    ;; the last report, while it is a counted start with no other report after it (else 0)
    (local $run i32)
    ;; the inlined tests' own: the signature's (f), the level's and thread's (c), the logger word's (l)
    (local $fk i32) (local $fcount i32) (local $fword i32) (local $flist i32)
    (local $ci i32) (local $cc i32) (local $levelStart i32) (local $cp i32) (local $cmask i32) (local $ck i32)
    (local $ccode i32)
    (local $lq i32) (local $lw i32) (local $lv v128) (local $lstop i32) (local $ldots i32) (local $lbrackets i32)
    (local $llim i32) (local $lk i32) (local $lbelow i32) (local $llastDot i32) (local $lfirstBracket i32)
    (local $lwordEnd i32) (local $lb i32) (local $lspace i32) (local $lprevDot i32) (local $lhi i32) (local $lrest i32)
    (local $lsame i64) (local $lneed i64) (local $lclass i32) (local $lsimple i32) (local $llen i32)
    (local $lstops i64) (local $llength i32) (local $lslot i32)
    (local $lb0 v128) (local $lb1 v128) (local $lb2 v128) (local $lb3 v128)
    (local.set $p (local.get $s))
    (local.set $v (v128.load (local.get $p)))
    (local.set $v2 (v128.load offset=16 (local.get $p)))
    (local.set $acc (v128.or (local.get $v) (local.get $v2)))
    (local.set $mask (i32.or
      (i8x16.bitmask (i8x16.eq (local.get $v) (i8x16.splat (i32.const 10))))
      (i32.shl (i8x16.bitmask (i8x16.eq (local.get $v2) (i8x16.splat (i32.const 10)))) (i32.const 16))))
    (block $done
      (loop $line
        ;; the line's newline: the lowest bit left in this block's mask, else the next block's
        ;; (the region ends with a newline, so a block past it is never needed)
        (block $found
          (loop $blocks
            (br_if $found (local.get $mask))
            (local.set $p (i32.add (local.get $p) (i32.const 32)))
            (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
            (local.set $v (v128.load (local.get $p)))
            (local.set $v2 (v128.load offset=16 (local.get $p)))
            (local.set $acc (v128.or (local.get $acc) (v128.or (local.get $v) (local.get $v2))))
            (local.set $mask (i32.or
              (i8x16.bitmask (i8x16.eq (local.get $v) (i8x16.splat (i32.const 10))))
              (i32.shl (i8x16.bitmask (i8x16.eq (local.get $v2) (i8x16.splat (i32.const 10)))) (i32.const 16))))
            (br $blocks)))
        (local.set $nl (i32.add (local.get $p) (i32.ctz (local.get $mask))))
        (br_if $done (i32.ge_u (local.get $nl) (local.get $end))) ;; slack bytes, not the region
        (local.set $mask (i32.and (local.get $mask) (i32.sub (local.get $mask) (i32.const 1))))
        ;; Most lines (a stack trace's, blank ones) begin with a byte that starts no record of any
        ;; format: counted, and nothing else (no code, no report, a run goes on past them). Testing
        ;; that before anything else made the kernel ~12% faster (bench:kernel, 30 passes).
        (local.set $t (i32.load8_u (i32.add (local.get $tbl) (i32.load8_u (local.get $s)))))
        (if (i32.and (i32.eqz (local.get $t)) (i32.le_u (i32.sub (local.get $nl) (local.get $s)) (local.get $maxLine)))
          (then
            (local.set $lines (i32.add (local.get $lines) (i32.const 1)))
            (local.set $s (i32.add (local.get $nl) (i32.const 1)))
            (br $line)))
        (local.set $e (local.get $nl))
        (if (i32.gt_u (local.get $e) (local.get $s))
          (then (if (i32.eq (i32.load8_u (i32.sub (local.get $e) (i32.const 1))) (i32.const 0x0d))
            (then (local.set $e (i32.sub (local.get $e) (i32.const 1)))))))
        (local.set $code (i32.const 0))
        (if (i32.gt_u (i32.sub (local.get $nl) (local.get $s)) (local.get $maxLine))
          (then (local.set $code (i32.const 2)))
          (else
            (if (i32.and
                  (i32.and (local.get $t) (i32.const 1))
                  (i32.ge_u (i32.sub (local.get $e) (local.get $s)) (local.get $sigLen)))
              (then
                ;; 1 when the line at $s fits the signature and holds a listed month word (it is at least
                ;; $sigLen bytes long, as checked just above; inline: its locals begin with f)
                (if (block $fits (result i32)
                    (local.set $fk (i32.const 0))
                    (loop $fitsBlock
                      (if (i32.eqz (i8x16.all_true (i8x16.le_u
                            (i8x16.sub (v128.load (i32.add (local.get $s) (local.get $fk)))
                                       (v128.load offset=16640 (i32.add (local.get $tbl) (local.get $fk))))
                            (v128.load offset=16768 (i32.add (local.get $tbl) (local.get $fk))))))
                        (then (br $fits (i32.const 0))))
                      (local.set $fk (i32.add (local.get $fk) (i32.const 16)))
                      (br_if $fitsBlock (i32.lt_u (local.get $fk) (local.get $sigLen))))
                    (local.set $fcount (i32.load8_u offset=16897 (local.get $tbl)))
                    (if (i32.eqz (local.get $fcount)) (then (br $fits (i32.const 1))))
                    (local.set $fword (i32.and
                      (i32.load (i32.add (local.get $s) (i32.load8_u offset=16896 (local.get $tbl))))
                      (i32.load offset=16900 (local.get $tbl))))
                    (local.set $flist (i32.add (local.get $tbl) (i32.const 16904)))
                    (local.set $fcount (i32.add (local.get $flist) (i32.shl (local.get $fcount) (i32.const 2))))
                    (loop $fitsNext
                      (if (i32.eq (i32.load (local.get $flist)) (local.get $fword)) (then (br $fits (i32.const 1))))
                      (local.set $flist (i32.add (local.get $flist) (i32.const 4)))
                      (br_if $fitsNext (i32.lt_u (local.get $flist) (local.get $fcount))))
                    (i32.const 0))
                  ;; The code of a line ending at $e that fits the signature; $ci is where the level begins
                  ;; (inline: its locals begin with c)
                  (then (local.set $code (block $classified (result i32)
                    (local.set $ci (i32.add (local.get $s) (local.get $sigLen)))
                    ;; LEVEL: \S+ then " ["
                    (local.set $levelStart (local.get $ci))
                    (block $levelEnd
                      (loop $level
                        (br_if $levelEnd (i32.ge_u (local.get $ci) (local.get $e)))
                        (local.set $cc (i32.load8_u offset=17160 (i32.add (local.get $tbl) (i32.load8_u (local.get $ci)))))
                        (br_if $levelEnd (i32.le_u (i32.sub (local.get $cc) (i32.const 1)) (i32.const 1))) ;; whitespace
                        (if (i32.eq (local.get $cc) (i32.const 5)) (then (br $classified (i32.const 2))))
                        (local.set $ci (i32.add (local.get $ci) (i32.const 1)))
                        (br $level)))
                    (if (i32.or (i32.eq (local.get $ci) (local.get $levelStart))
                                (i32.ge_u (i32.add (local.get $ci) (i32.const 1)) (local.get $e)))
                      (then (br $classified (i32.const 0))))
                    (if (i32.ne (i32.load16_u (local.get $ci)) (i32.const 0x5b20)) (then (br $classified (i32.const 0)))) ;; " ["
                    ;; THREAD: lazy, up to the first "] " after which LOGGER.METHOD follows
                    (local.set $cp (i32.add (local.get $ci) (i32.const 2)))
                    (loop $threadBlock
                      (if (i32.ge_u (i32.add (local.get $cp) (i32.const 1)) (local.get $e)) (then (br $classified (i32.const 0))))
                      (local.set $cmask (i8x16.bitmask (i8x16.eq (v128.load (local.get $cp)) (i8x16.splat (i32.const 0x5d)))))
                      (block $threadBlockDone
                        (loop $threadBit
                          (br_if $threadBlockDone (i32.eqz (local.get $cmask)))
                          (local.set $ck (i32.add (local.get $cp) (i32.ctz (local.get $cmask))))
                          (local.set $cmask (i32.and (local.get $cmask) (i32.sub (local.get $cmask) (i32.const 1))))
                          (if (i32.ge_u (i32.add (local.get $ck) (i32.const 1)) (local.get $e)) (then (br $classified (i32.const 0))))
                          (if (i32.eq (i32.load8_u offset=1 (local.get $ck)) (i32.const 0x20))
                            (then
                              (local.set $ccode (block $loggerAt (result i32)
                                ;; The logger word after "] " (at $lq): the code when LOGGER.METHOD( |$) follows, -1 when
                                ;; it does not (the thread goes on to a later "] "), 2 when a byte here is not decided.
                                ;; (inline, as are the signature and level tests around it: V8 does not inline
                                ;; WebAssembly calls, and a call per start cost 5-10% of the scan; its locals begin
                                ;; with l, and those it reads before setting are set here as a call's would be)
                                (local.set $lq (i32.add (local.get $ck) (i32.const 2)))
                                (local.set $lspace (i32.const 0))
                                ;; A kept word: the word's length (to its first byte <= 0x20 or >= 0x80 within its first
                                ;; 64 bytes, read once here; the line's end is one, a newline or \r) and its last four
                                ;; bytes pick one of 16 slots; a slot that holds a word of that length, byte for byte the
                                ;; same with the space after it, gives what was found of it.
                                (local.set $lb0 (v128.load (local.get $lq)))
                                (local.set $lb1 (v128.load offset=16 (local.get $lq)))
                                (local.set $lb2 (v128.load offset=32 (local.get $lq)))
                                (local.set $lb3 (v128.load offset=48 (local.get $lq)))
                                (local.set $lstops (i64.or
                                  (i64.extend_i32_u (i32.or
                                    (i8x16.bitmask (i8x16.le_s (local.get $lb0) (i8x16.splat (i32.const 0x20))))
                                    (i32.shl (i8x16.bitmask (i8x16.le_s (local.get $lb1) (i8x16.splat (i32.const 0x20)))) (i32.const 16))))
                                  (i64.shl (i64.extend_i32_u (i32.or
                                    (i8x16.bitmask (i8x16.le_s (local.get $lb2) (i8x16.splat (i32.const 0x20))))
                                    (i32.shl (i8x16.bitmask (i8x16.le_s (local.get $lb3) (i8x16.splat (i32.const 0x20)))) (i32.const 16))))
                                    (i64.const 32))))
                                (local.set $llength (i32.wrap_i64 (i64.ctz (local.get $lstops))))
                                (local.set $lslot (i32.const -1))
                                (if (i32.le_u (i32.sub (local.get $llength) (i32.const 4)) (i32.const 58)) ;; 4 to 62 bytes
                                  (then
                                    (local.set $lslot (i32.add (local.get $tbl) (i32.mul (i32.const 80)
                                      (i32.shr_u (i32.mul (i32.xor (i32.load (i32.sub (i32.add (local.get $lq) (local.get $llength)) (i32.const 4)))
                                                                   (i32.mul (local.get $llength) (i32.const 0x9e3779b1)))
                                                          (i32.const 0x9e3779b1))
                                                 (i32.const 28)))))
                                    (if (i32.eq (i32.load offset=38736 (local.get $lslot)) (local.get $llength))
                                      (then
                                        (local.set $lsame (i64.or
                                          (i64.extend_i32_u (i32.or
                                            (i8x16.bitmask (i8x16.eq (local.get $lb0) (v128.load offset=38672 (local.get $lslot))))
                                            (i32.shl (i8x16.bitmask (i8x16.eq (local.get $lb1) (v128.load offset=38688 (local.get $lslot)))) (i32.const 16))))
                                          (i64.shl (i64.extend_i32_u (i32.or
                                            (i8x16.bitmask (i8x16.eq (local.get $lb2) (v128.load offset=38704 (local.get $lslot))))
                                            (i32.shl (i8x16.bitmask (i8x16.eq (local.get $lb3) (v128.load offset=38720 (local.get $lslot)))) (i32.const 16))))
                                            (i64.const 32))))
                                        (local.set $lneed (i64.sub (i64.shl (i64.const 1) (i64.extend_i32_u (i32.add (local.get $llength) (i32.const 1))))
                                                                  (i64.const 1)))
                                        (if (i64.eq (i64.and (local.get $lsame) (local.get $lneed)) (local.get $lneed))
                                          (then
                                            ;; the space is before the line's end (a newline or \r ends the line, and is no space)
                                            (global.set $loggerStart (local.get $lq))
                                            (global.set $loggerEnd (i32.add (local.get $lq) (i32.load offset=38740 (local.get $lslot))))
                                            (global.set $messageStart (i32.add (i32.add (local.get $lq) (local.get $llength)) (i32.const 1)))
                                            (local.set $lclass (i32.load offset=38744 (local.get $lslot)))
                                            ;; (the verdict below, inline: a WebAssembly call per start cost ~10% of the scan; one
                                            ;; verdict after a block both ways leave measured ~2% slower than two copies)
                                            (if (i32.eq (local.get $lclass) (i32.const 2))
                                              (then (br $loggerAt (call $messageMay (global.get $messageStart) (local.get $e) (local.get $tbl)))))
                                            (br $loggerAt (local.get $lclass))))))))
                                (local.set $lw (local.get $lq))
                                (local.set $llastDot (i32.const -1))
                                (local.set $lprevDot (i32.const -1))
                                (local.set $lfirstBracket (i32.const -1))
                                (block $wordEnded
                                  (loop $wordBlock
                                    (if (i32.ge_u (local.get $lw) (local.get $e))
                                      (then (local.set $lwordEnd (local.get $e)) (br $wordEnded)))
                                    (local.set $lv (v128.load (local.get $lw)))
                                    ;; the word stops at a byte <= 0x20 or >= 0x80 (signed <= 0x20), or at the line's end
                                    (local.set $lstop (i8x16.bitmask (i8x16.le_s (local.get $lv) (i8x16.splat (i32.const 0x20)))))
                                    (local.set $llim (i32.sub (local.get $e) (local.get $lw)))
                                    (if (i32.lt_u (local.get $llim) (i32.const 16))
                                      (then (local.set $lstop (i32.or (local.get $lstop) (i32.shl (i32.const 1) (local.get $llim))))))
                                    (local.set $ldots (i8x16.bitmask (i8x16.eq (local.get $lv) (i8x16.splat (i32.const 0x2e)))))
                                    (local.set $lbrackets (i8x16.bitmask (v128.or
                                      (i8x16.eq (local.get $lv) (i8x16.splat (i32.const 0x5b)))
                                      (i8x16.eq (local.get $lv) (i8x16.splat (i32.const 0x5d))))))
                                    (local.set $lk (i32.const 16))
                                    (if (local.get $lstop)
                                      (then
                                        (local.set $lk (i32.ctz (local.get $lstop)))
                                        (local.set $lbelow (i32.sub (i32.shl (i32.const 1) (local.get $lk)) (i32.const 1)))
                                        (local.set $ldots (i32.and (local.get $ldots) (local.get $lbelow)))
                                        (local.set $lbrackets (i32.and (local.get $lbrackets) (local.get $lbelow)))))
                                    ;; the last two dots so far: the logger ends at the last, its simple name starts after the other
                                    (if (local.get $ldots)
                                      (then
                                        (local.set $lhi (i32.sub (i32.const 31) (i32.clz (local.get $ldots))))
                                        (local.set $lrest (i32.xor (local.get $ldots) (i32.shl (i32.const 1) (local.get $lhi))))
                                        (if (local.get $lrest)
                                          (then (local.set $lprevDot (i32.sub (i32.add (local.get $lw) (i32.const 31)) (i32.clz (local.get $lrest)))))
                                          (else (local.set $lprevDot (local.get $llastDot))))
                                        (local.set $llastDot (i32.add (local.get $lw) (local.get $lhi)))))
                                    (if (i32.and (i32.ne (local.get $lbrackets) (i32.const 0)) (i32.lt_s (local.get $lfirstBracket) (i32.const 0)))
                                      (then (local.set $lfirstBracket (i32.add (local.get $lw) (i32.ctz (local.get $lbrackets))))))
                                    (if (local.get $lstop)
                                      (then (local.set $lwordEnd (i32.add (local.get $lw) (local.get $lk))) (br $wordEnded)))
                                    (local.set $lw (i32.add (local.get $lw) (i32.const 16)))
                                    (br $wordBlock)))
                                ;; what ended the word: the line's end, a space, other ASCII whitespace, or an undecided byte
                                (if (i32.lt_u (local.get $lwordEnd) (local.get $e))
                                  (then
                                    (local.set $lb (i32.load8_u (local.get $lwordEnd)))
                                    (if (i32.eq (local.get $lb) (i32.const 0x20))
                                      (then (local.set $lspace (i32.const 1)))
                                      (else (if (i32.gt_u (i32.sub (local.get $lb) (i32.const 0x09)) (i32.const 4))
                                        (then (br $loggerAt (i32.const 2)))))))
                                  (else (local.set $lspace (i32.const 1))))
                                (if (i32.and
                                      (i32.and (local.get $lspace) (i32.gt_s (local.get $llastDot) (local.get $lq)))
                                      (i32.and
                                        (i32.lt_s (local.get $llastDot) (i32.sub (local.get $lwordEnd) (i32.const 1)))
                                        (i32.or (i32.lt_s (local.get $lfirstBracket) (i32.const 0))
                                                (i32.gt_s (local.get $lfirstBracket) (local.get $llastDot)))))
                                  (then
                                    (global.set $loggerStart (local.get $lq))
                                    (global.set $loggerEnd (local.get $llastDot))
                                    ;; `(?: (?<message>.*))?$`: after the space that ends the word, or at the line's end
                                    (global.set $messageStart (select (local.get $e) (i32.add (local.get $lwordEnd) (i32.const 1))
                                      (i32.ge_u (local.get $lwordEnd) (local.get $e))))
                                    ;; its class: 3 when it may be a cluster logger, 2 when it may be a lifecycle logger (its
                                    ;; simple name's length and first byte are marked in the names table: its message decides), else 1
                                    (local.set $lclass (i32.const 1))
                                    (if (call $clusterLike (local.get $lq))
                                      (then (local.set $lclass (i32.const 3)))
                                      (else
                                        (local.set $lsimple (select (i32.add (local.get $lprevDot) (i32.const 1)) (local.get $lq)
                                          (i32.ge_s (local.get $lprevDot) (local.get $lq))))
                                        (local.set $llen (i32.sub (local.get $llastDot) (local.get $lsimple)))
                                        (if (i32.gt_u (local.get $llen) (i32.const 63)) (then (local.set $llen (i32.const 63))))
                                        (if (i32.load8_u offset=256 (i32.add (i32.add (local.get $tbl) (i32.shl (local.get $llen) (i32.const 8)))
                                                                             (i32.load8_u (local.get $lsimple))))
                                          (then (local.set $lclass (i32.const 2))))))
                                    ;; kept in its slot when a space follows it (a valid word that ends before the line's end
                                    ;; ends at a space) and it has a slot (4 to 62 bytes: with its space within the 64 compared)
                                    (if (i32.and (i32.lt_u (local.get $lwordEnd) (local.get $e)) (i32.ge_s (local.get $lslot) (i32.const 0)))
                                      (then
                                        (v128.store offset=38672 (local.get $lslot) (local.get $lb0))
                                        (v128.store offset=38688 (local.get $lslot) (local.get $lb1))
                                        (v128.store offset=38704 (local.get $lslot) (local.get $lb2))
                                        (v128.store offset=38720 (local.get $lslot) (local.get $lb3))
                                        (i32.store offset=38736 (local.get $lslot) (local.get $llength))
                                        (i32.store offset=38740 (local.get $lslot) (i32.sub (local.get $llastDot) (local.get $lq)))
                                        (i32.store offset=38744 (local.get $lslot) (local.get $lclass))))
                                    ;; its verdict: a lifecycle logger's record is reported only when its message may match
                                    (if (i32.eq (local.get $lclass) (i32.const 2))
                                      (then (br $loggerAt (call $messageMay (global.get $messageStart) (local.get $e) (local.get $tbl)))))
                                    (br $loggerAt (local.get $lclass))))
                                (i32.const -1)))
                              (if (i32.ge_s (local.get $ccode) (i32.const 0)) (then (br $classified (local.get $ccode))))))
                          (br $threadBit)))
                      (local.set $cp (i32.add (local.get $cp) (i32.const 16)))
                      (br $threadBlock))
                    (i32.const 0)))))))
            ;; not a start of this format: may it start another's? (its first byte, then its second)
            (if (i32.and (i32.eqz (local.get $code)) (i32.shr_u (local.get $t) (i32.const 1)))
              (then (if (call $pairMay (local.get $s) (local.get $tbl))
                (then (local.set $code (i32.const 4))))))))
        (if (local.get $code)
          (then
            (if (i32.and (i32.eq (local.get $code) (i32.const 1)) (i32.ne (local.get $run) (i32.const 0)))
              (then
                ;; one more counted start in the run: the report before grows
                (i32.store offset=16 (local.get $run) (i32.add (i32.load offset=16 (local.get $run)) (i32.const 1)))
                (i32.store offset=20 (local.get $run) (i32.sub (local.get $nl) (local.get $base)))
                (i32.store offset=24 (local.get $run) (i32.add (local.get $lines) (local.get $lineBase))))
              (else
                (i32.store (local.get $out) (i32.sub (local.get $s) (local.get $base)))
                (i32.store offset=4 (local.get $out) (i32.sub (local.get $nl) (local.get $base)))
                (i32.store offset=8 (local.get $out) (i32.add (local.get $lines) (local.get $lineBase)))
                (i32.store offset=12 (local.get $out) (local.get $code))
                (i32.store offset=16 (local.get $out) (i32.const 0))
                (i32.store offset=20 (local.get $out) (i32.sub (local.get $nl) (local.get $base)))
                (i32.store offset=24 (local.get $out) (i32.add (local.get $lines) (local.get $lineBase)))
                (if (i32.eq (local.get $code) (i32.const 3))
                  (then
                    (i32.store offset=16 (local.get $out) (i32.sub (global.get $loggerStart) (local.get $base)))
                    (i32.store offset=24 (local.get $out) (i32.sub (global.get $loggerEnd) (local.get $base)))
                    (i32.store offset=28 (local.get $out) (i32.sub (global.get $messageStart) (local.get $base)))))
                (local.set $run (select (local.get $out) (i32.const 0) (i32.eq (local.get $code) (i32.const 1))))
                (local.set $out (i32.add (local.get $out) (i32.const 32)))
                (local.set $n (i32.add (local.get $n) (i32.const 1)))))))
        (local.set $lines (i32.add (local.get $lines) (i32.const 1)))
        (local.set $s (i32.add (local.get $nl) (i32.const 1)))
        (br_if $done (i32.ge_u (local.get $s) (local.get $end)))
        (br_if $done (i32.ge_u (local.get $n) (local.get $cap)))
        (br $line)))
    (global.set $resume (local.get $s))
    (global.set $lines (local.get $lines))
    (global.set $ascii (i32.eqz (i8x16.bitmask (local.get $acc))))
    (local.get $n))
)
