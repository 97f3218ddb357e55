// A measurement probe for issue 5, not part of the library and never built by it or by CI:
// what one native pass over events.csv costs when it tokenises every record, screens the cell
// rules and the rules within a row of the Event model, and hashes ids for the primary key, on
// two threads. Run through benchmarks/native_probe.py, which writes vocabularies.h from the
// models, compiles this with gcc and times it beside pyarrow's parse and iran-syria's screens.
//
// What it leaves out, so the figure is a lower bound for a real native screen: any non-ASCII
// text byte flags the row (NFC, Unicode spaces and bidi characters would need tables); records
// are numbered, not physical lines (a quoted newline would shift them); the file is cut in two
// at a newline, which is only right when no quoted cell holds one (true of the synthetic
// data; Arrow finds such cuts properly); no references to other tables, no sha256.
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define NCOL 20
typedef struct { const char *p; int n; } Cell;  // a cell's bytes, quotes stripped, "" kept

#include "vocabularies.h"  // written by native_probe.py from the models

// A vocabulary as a 512-slot table keyed on (length, first, last byte): about one memcmp a cell.
typedef struct { const char *w[512]; int n[512]; } Vocab;
static unsigned vkey(const char *p, int n) { return (unsigned)(n * 31 + (unsigned char)p[0] * 7 + (unsigned char)p[n - 1]) & 511; }
static void vbuild(Vocab *v, const char **words) {
  memset(v, 0, sizeof *v);
  for (int i = 0; words[i]; i++) {
    int n = strlen(words[i]); unsigned k = vkey(words[i], n);
    while (v->w[k]) k = (k + 1) & 511;
    v->w[k] = words[i]; v->n[k] = n;
  }
}
static int vfind(const Vocab *v, const char *p, int n) {  // index+1, or 0
  if (n == 0) return 0;
  unsigned k = vkey(p, n);
  while (v->w[k]) { if (v->n[k] == n && !memcmp(v->w[k], p, n)) return k + 1; k = (k + 1) & 511; }
  return 0;
}
static Vocab V_PAIR, V_TYPE, V_MODE, V_PREC, V_GEO, V_CONF, V_ATTR, V_STATUS;

static int is_id(const char *p, int n) {  // ^evt-[a-z0-9]+(-[a-z0-9]+)*$
  if (n < 5 || memcmp(p, "evt-", 4)) return 0;
  int prev_dash = 1;
  for (int i = 4; i < n; i++) {
    char c = p[i];
    if (c == '-') { if (prev_dash) return 0; prev_dash = 1; }
    else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) prev_dash = 0;
    else return 0;
  }
  return !prev_dash;
}
// ASCII-only text check; any byte >= 0x80 sends the row to the models (NFC, Unicode spaces).
static int text_ok(const char *p, int n, int formula) {
  if (n == 0) return 1;
  if (p[0] == ' ' || p[n - 1] == ' ') return 0;
  if (formula && (p[0] == '=' || p[0] == '+' || p[0] == '@' || p[0] == '-')) return 0;
  for (int i = 0; i < n; i++) { unsigned char c = p[i]; if (c < 0x20 || c >= 0x7f) return 0; }
  return 1;
}
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2; int64_t era = (y >= 0 ? y : y - 399) / 400; unsigned yoe = (unsigned)(y - era * 400);
  unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1; unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (int64_t)doe - 719468;
}
static const int MDAYS[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
static int leap(int y) { return (y % 4 == 0 && y % 100) || y % 400 == 0; }
// YYYY-MM-DD, a real day, year >= 1; fills days since 1970 and y/m/d.
static int parse_date(const char *p, int n, int64_t *days, int *y, int *m, int *d) {
  if (n != 10 || p[4] != '-' || p[7] != '-') return 0;
  for (int i = 0; i < 10; i++) if (i != 4 && i != 7 && (p[i] < '0' || p[i] > '9')) return 0;
  *y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
  *m = (p[5] - '0') * 10 + (p[6] - '0'); *d = (p[8] - '0') * 10 + (p[9] - '0');
  if (*y < 1 || *m < 1 || *m > 12 || *d < 1) return 0;
  if (*d > MDAYS[*m - 1] + (*m == 2 && leap(*y))) return 0;
  *days = days_from_civil(*y, *m, *d); return 1;
}
static int parse_int(const char *p, int n, int64_t *v) {  // ^[0-9]{1,18}$
  if (n < 1 || n > 18) return 0;
  int64_t x = 0;
  for (int i = 0; i < n; i++) { if (p[i] < '0' || p[i] > '9') return 0; x = x * 10 + (p[i] - '0'); }
  *v = x; return 1;
}
static int parse_decimal(const char *p, int n, double *v) {  // ^-?[0-9]+(\.[0-9]+)?$
  int i = 0, neg = 0; if (i < n && p[i] == '-') { neg = 1; i++; }
  int digits = 0; double x = 0;
  while (i < n && p[i] >= '0' && p[i] <= '9') { x = x * 10 + (p[i] - '0'); i++; digits++; }
  if (!digits) return 0;
  if (i < n) {
    if (p[i] != '.') return 0;
    i++;
    double f = 0.1;
    int frac = 0;
    while (i < n && p[i] >= '0' && p[i] <= '9') { x += (p[i] - '0') * f; f *= 0.1; i++; frac++; }
    if (!frac || i != n) return 0;
  }
  *v = neg ? -x : x; return 1;
}
static uint64_t hash64(const char *p, int n) {  // FNV-1a, then a mix
  uint64_t h = 1469598103934665603ULL;
  for (int i = 0; i < n; i++) { h ^= (unsigned char)p[i]; h *= 1099511628211ULL; }
  h ^= h >> 33; h *= 0xff51afd7ed558ccdULL; h ^= h >> 33; return h;
}

typedef struct {
  const char *begin, *end; size_t first_row; uint8_t *suspect; uint64_t *id_hash; size_t rows;
} Part;

static void *scan(void *arg) {
  Part *w = arg; const char *s = w->begin; size_t row = w->first_row;
  Cell c[NCOL];
  while (s < w->end) {
    int k = 0; int ragged = 0;
    for (;;) {  // one record
      Cell *cell = k < NCOL ? &c[k] : NULL;
      if (s < w->end && *s == '"') {  // a quoted cell runs to a quote not doubled
        const char *q = ++s;
        for (;;) {
          const char *e = memchr(s, '"', w->end - s);
          if (!e) { ragged = 1; s = w->end; break; }
          if (e + 1 < w->end && e[1] == '"') { s = e + 2; continue; }
          s = e + 1;
          if (cell) { cell->p = q; cell->n = e - q; }
          break;
        }
      } else {
        const char *q = s;
        while (s < w->end && *s != ',' && *s != '\n') s++;
        if (cell) { cell->p = q; cell->n = s - q; }
      }
      k++;
      if (s >= w->end || *s == '\n') { s++; break; }
      if (*s == ',') { s++; continue; }
      ragged = 1;  // text after a closing quote: the row path explains it
      while (s < w->end && *s != '\n') s++;
      s++;
      break;
    }
    int bad = ragged || k != NCOL;
    if (!bad) {
      bad |= !is_id(c[0].p, c[0].n);
      w->id_hash[row - w->first_row] = hash64(c[0].p, c[0].n);
      bad |= c[1].n == 0 || !text_ok(c[1].p, c[1].n, 1);
      bad |= c[2].n == 0 || !text_ok(c[2].p, c[2].n, 1);
      int type = vfind(&V_TYPE, c[3].p, c[3].n); bad |= !type;
      if (c[4].n) bad |= !vfind(&V_MODE, c[4].p, c[4].n);
      // The (type, mode) pair, looked up as "TYPE:mode"; an event's mode is optional.
      if (type && c[4].n && c[3].n + 1 + c[4].n < 64) {
        char pair[64];
        memcpy(pair, c[3].p, c[3].n);
        pair[c[3].n] = ':';
        memcpy(pair + c[3].n + 1, c[4].p, c[4].n);
        bad |= !vfind(&V_PAIR, pair, c[3].n + 1 + c[4].n);
      } else if (c[4].n) {
        bad = 1;
      }
      int64_t d0 = 0, d1 = 0; int y0, m0, dd0, y1, m1, dd1;
      int ok0 = parse_date(c[5].p, c[5].n, &d0, &y0, &m0, &dd0), ok1 = parse_date(c[6].p, c[6].n, &d1, &y1, &m1, &dd1);
      bad |= !ok0 || !ok1 || d1 < d0;
      int prec = vfind(&V_PREC, c[7].p, c[7].n); bad |= !prec;
      if (ok0 && ok1 && prec) {  // the precision grid
        const char *pw = c[7].p; int pn = c[7].n;
        int wd0 = (int)(((d0 % 7) + 7 + 3) % 7), wd1 = (int)(((d1 % 7) + 7 + 3) % 7);
        int end_of_month = dd1 == MDAYS[m1 - 1] + (m1 == 2 && leap(y1));
        if (pn == 4 && !memcmp(pw, "week", 4)) bad |= wd0 != 0 || wd1 != 6;
        else if (pn == 5 && !memcmp(pw, "month", 5)) bad |= dd0 != 1 || !end_of_month;
        else if (pn == 7) bad |= dd0 != 1 || m0 % 3 != 1 || !end_of_month || m1 % 3 != 0;
        else if (pn == 4 && !memcmp(pw, "year", 4)) bad |= m0 != 1 || dd0 != 1 || m1 != 12 || dd1 != 31;
        else if (pn == 6) bad |= y0 % 10 || m0 != 1 || dd0 != 1 || y1 % 10 != 9 || m1 != 12 || dd1 != 31;
        bad |= y0 < 10 || y1 > 9989;
      }
      bad |= !text_ok(c[8].p, c[8].n, 1);
      if (c[9].n) bad |= !(c[9].n == 3 && c[9].p[0] >= 'A' && c[9].p[0] <= 'Z' && c[9].p[1] >= 'A' && c[9].p[1] <= 'Z' && c[9].p[2] >= 'A' && c[9].p[2] <= 'Z');
      double lat, lon; int has_lat = c[10].n > 0, has_lon = c[11].n > 0;
      if (has_lat) bad |= !parse_decimal(c[10].p, c[10].n, &lat) || lat < -90 || lat > 90;
      if (has_lon) bad |= !parse_decimal(c[11].p, c[11].n, &lon) || lon < -180 || lon > 180;
      int geo = vfind(&V_GEO, c[12].p, c[12].n); bad |= !geo;
      int unknown = c[12].n == 7 && !memcmp(c[12].p, "unknown", 7);
      bad |= has_lat != has_lon || (has_lat && unknown) || (!has_lat && !unknown);
      int64_t f[3]; int has[3];
      for (int j = 0; j < 3; j++) { has[j] = c[13 + j].n > 0; if (has[j]) bad |= !parse_int(c[13 + j].p, c[13 + j].n, &f[j]); }
      if (has[0] && has[1]) bad |= f[0] > f[1];
      if (has[1] && has[2]) bad |= f[1] > f[2];
      if (has[0] && has[2]) bad |= f[0] > f[2];
      bad |= !vfind(&V_CONF, c[16].p, c[16].n) || !vfind(&V_ATTR, c[17].p, c[17].n);
      int status = vfind(&V_STATUS, c[18].p, c[18].n); bad |= !status;
      int merged = c[18].n == 6 && !memcmp(c[18].p, "merged", 6);
      bad |= merged != (c[19].n > 0);
      if (c[19].n) bad |= !is_id(c[19].p, c[19].n) || (c[19].n == c[0].n && !memcmp(c[19].p, c[0].p, c[0].n));
    }
    w->suspect[row - w->first_row] = bad;
    row++;
  }
  w->rows = row - w->first_row;
  return NULL;
}

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: native_probe EVENTS.CSV (PRINT=1 lists the suspect records)\n");
    return 2;
  }
  double t0 = now();
  vbuild(&V_TYPE, EVENT_TYPES); vbuild(&V_PAIR, PAIRS); vbuild(&V_MODE, MODES); vbuild(&V_PREC, PRECISIONS); vbuild(&V_GEO, GEO);
  vbuild(&V_CONF, CONF); vbuild(&V_ATTR, ATTR); vbuild(&V_STATUS, STATUS);
  int fd = open(argv[1], O_RDONLY); struct stat st; fstat(fd, &st);
  const char *data = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  const char *end = data + st.st_size;
  const char *body = memchr(data, '\n', st.st_size) + 1;  // the header is not checked here
  size_t cap = 0; for (const char *q = body; (q = memchr(q, '\n', end - q)); q++) cap++;  // upper bound of rows
  // Two halves cut at a newline (the real thing would cut outside quotes, as Arrow does).
  const char *half = body + (end - body) / 2, *cut = memchr(half, '\n', end - half);
  const char *mid = cut ? cut + 1 : end;
  size_t first_half = 0; for (const char *q = body; (q = memchr(q, '\n', mid - q)) && q < mid; q++) first_half++;
  uint8_t *suspect = calloc(cap + 1, 1); uint64_t *ids = malloc((cap + 1) * 8);
  Part parts[2] = {{body, mid, 0, suspect, ids, 0}, {mid, end, first_half, suspect + first_half, ids + first_half, 0}};
  double t1 = now();
  pthread_t th; pthread_create(&th, NULL, scan, &parts[1]); scan(&parts[0]); pthread_join(th, NULL);
  size_t rows = parts[0].rows + parts[1].rows;
  double t2 = now();
  // Primary key: an open-addressing set of the 64-bit hashes; a row whose hash was seen before
  // is a suspect (the models and a comparison of the strings decide).
  size_t slots = 1; while (slots < rows * 2) slots <<= 1;
  uint64_t *table = calloc(slots, 8); size_t dup = 0;
  for (size_t i = 0; i < rows; i++) {
    uint64_t h = ids[i] | 1; size_t k = h & (slots - 1);
    while (table[k] && table[k] != h) k = (k + 1) & (slots - 1);
    if (table[k] == h) { dup++; suspect[i] = 1; } else table[k] = h;
  }
  double t3 = now();
  size_t n = 0; for (size_t i = 0; i < rows; i++) n += suspect[i];
  if (getenv("PRINT")) for (size_t i = 0; i < rows; i++) if (suspect[i]) printf("%zu\n", i + 2);
  fprintf(stderr, "rows %zu suspects %zu dup-hashes %zu | map+count %.3f scan %.3f keys %.3f total %.3f s\n",
          rows, n, dup, t1 - t0, t2 - t1, t3 - t2, now() - t0);
  return 0;
}
