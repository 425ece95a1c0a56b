export const HELP = `catalina-lens: make Apache Tomcat clusters visible from their catalina.out logs

Usage:
  catalina-lens analyze [PATH...]   archived logs: files, directories, globs, .gz, rotated sets, '-'
  catalina-lens tail [PATH...]      live: follow files and directories through rotation/truncation
  catalina-lens events [PATH...]    NDJSON, one cluster event a line, in time order
  catalina-lens grammars [--test]   list the grammars; --test runs every grammar's samples

  With no PATH and no piped stdin, analyze reads the bundled samples/.

Input:
  --node NAME=PATH        name the node of a file or directory (repeatable)
  --tz ZONE               IANA zone or UTC offset (+01:00) the logs' times are read in (default: local zone)
  --since TIME            ISO time or age (90m, 2h, 7d): keep events from then on
  --until TIME            ISO time or age: keep events up to then
  --log-format NAME       force a line format instead of detecting it (see 'grammars')
  --date-order dmy|mdy    day/month order of dates like 06/11/2013 (default: from the file)
  --encoding NAME         the logs' charset if not UTF-8: windows-1252, gbk, shift_jis, euc-kr...
  --grammar FILE|DIR      add grammar files (repeatable)

Output:
  --text                  text report (analyze) or one line per event (tail); default off a terminal
  --json                  analyze: the model snapshot as one JSON object
  --csv                   analyze: the state-transfer table
  --ndjson                tail: one JSON event per line, flushed per event
  --dashboard             open the dashboard even if stdout is not detected as a terminal
  --no-color / --color    colour off or on (NO_COLOR is honoured)
  --all                   events: also emit non-cluster records (type "record")
  --stats                 events: per-input line accounting on stderr

Model:
  --slow-ms N             a transfer slower than N ms is a finding (default 1000)
  --flap-count N          re-adds within the window that make a flap (default 2)
  --flap-window DURATION  flap window, e.g. 10m (default 10m)
  --fail-on KIND          exit 3 when a finding of KIND exists: timeout | error | warning

Live (tail):
  --from-start            read existing content first, then follow
  -n, --lines N           start with the last N lines of each file (default 0)
  --partial-ms N          emit an unterminated last line after N ms idle (default 1000)
  --poll                  poll the file system (NFS/SMB)

  -h, --help              this help
  -V, --version           the version

Exit codes: 0 done, 1 an input could not be read, 2 usage, 3 --fail-on matched.
`;
