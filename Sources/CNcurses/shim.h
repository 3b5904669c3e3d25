#ifndef BRECQ_CNCURSES_SHIM_H
#define BRECQ_CNCURSES_SHIM_H
// Must precede <curses.h>: cchar_t, add_wch and get_wch exist only with it,
// and SwiftPM cSettings do not reach Swift importers.
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <langinfo.h>
#include <stdio.h>
#include <wchar.h>
#include <string.h>
#include <curses.h>

// Macros and C globals do not import into Swift 6 safely; these getters do.
static inline WINDOW *brecq_stdscr(void) { return stdscr; }
static inline int brecq_lines(void) { return LINES; }
static inline int brecq_cols(void) { return COLS; }
static inline int brecq_colors(void) { return COLORS; }
static inline int brecq_color_pairs(void) { return COLOR_PAIRS; }
static inline attr_t brecq_color_pair(int n) { return (attr_t)COLOR_PAIR(n); }
static inline attr_t brecq_a_bold(void) { return A_BOLD; }
static inline attr_t brecq_a_dim(void) { return A_DIM; }
static inline attr_t brecq_a_reverse(void) { return A_REVERSE; }
static inline attr_t brecq_a_underline(void) { return A_UNDERLINE; }
static inline attr_t brecq_a_normal(void) { return A_NORMAL; }
static inline int brecq_key_resize(void) { return KEY_RESIZE; }
static inline int brecq_key_f(int n) { return KEY_F(n); }

// Dashboard backend additions.
// stdin/stdout are C globals; newterm needs them as FILE pointers.
static inline FILE *brecq_stdout(void) { return stdout; }
static inline FILE *brecq_stdin(void) { return stdin; }
// Declared in <term.h>, whose macros (lines, columns, …) would leak into Swift.
char *tigetstr(const char *capname);
// Whether the current terminal can move the cursor anywhere (terminfo `cup`); TERM=dumb cannot.
static inline int brecq_can_address_cursor(void) {
    const char *cup = tigetstr("cup");
    return cup != NULL && cup != (const char *)-1;
}
// After setlocale(LC_ALL, ""): whether the locale's character set is UTF-8.
static inline int brecq_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset != NULL && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}
// One cell: a wide character with attributes and an extended colour pair.
// Built here because cchar_t's layout and setcchar's pair arguments are awkward from Swift.
static inline int brecq_put_cell(WINDOW *win, int y, int x, wchar_t ch, attr_t attrs, int pair) {
    cchar_t cell;
    wchar_t text[2] = { ch, 0 };
    if (setcchar(&cell, text, attrs, 0, &pair) != OK) return ERR;
    return mvwadd_wch(win, y, x, &cell);
}
static inline int brecq_key_code_yes(void) { return KEY_CODE_YES; }

// Mouse reporting: clicks of the first button and the wheel (buttons 4 and 5).
static inline int brecq_key_mouse(void) { return KEY_MOUSE; }
static inline void brecq_enable_mouse(void) {
    mmask_t mask = BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED;
#ifdef BUTTON5_PRESSED
    mask |= BUTTON5_PRESSED;
#endif
    mousemask(mask, NULL);
    mouseinterval(0);
}
static inline void brecq_disable_mouse(void) { mousemask(0, NULL); }
// The pending mouse event: 0 none or other, 1 click, 2 wheel up, 3 wheel down; cell in *x, *y.
static inline int brecq_read_mouse(int *x, int *y) {
    MEVENT e;
    if (getmouse(&e) != OK) return 0;
    *x = e.x; *y = e.y;
    if (e.bstate & BUTTON4_PRESSED) return 2;
#ifdef BUTTON5_PRESSED
    if (e.bstate & BUTTON5_PRESSED) return 3;
#endif
    if (e.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) return 1;
    return 0;
}
#endif
