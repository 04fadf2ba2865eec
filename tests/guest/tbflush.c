/* tbflush: tbstress run with a 1 MiB code buffer (tbflush.accel:
 * tb-size=1), so the translated code fills the cache many times and it must
 * be flushed whole and refilled while the program runs, with chained
 * blocks and cached jumps forgotten each time. */
#define TB_NAME "tbflush"
#include "tbstress.c"
