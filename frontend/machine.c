/*
 * machine.c - the PC board: builds the memory and I/O maps, the firmware,
 * the devices and the CPU from a machine_config, wires them together, and
 * runs the CPU loop with reset and stop handling. The only place where the
 * board's wiring lives; COM1's host side is frontend/console.c.
 *
 * Physical memory:
 *   0x00000000-0x0009FFFF  RAM (conventional memory)
 *   0x000A0000-0x000BFFFF  the VGA's memory window (devices/vga.c)
 *   0x000C0000-0x000EFFFF  unassigned (option ROMs: none yet);
 *                          0xC0000-0xFFFFF can show shadow RAM (the
 *                          i440FX's PAM registers, devices/i440fx.c)
 *   0x000F0000-0x000FFFFF  BIOS ROM (bios/rom.c)
 *   0x00100000-RAM end     RAM
 *   0xFFFF0000-0xFFFFFFFF  BIOS ROM alias (the reset vector)
 * With -bios FILE (bios/firmware.h) the image of SIZE bytes is the ROM at
 * 4 GiB - SIZE, and its last min(SIZE, 128 KiB) are aliased below 1 MiB
 * (0xE0000-0xFFFFF for 128 KiB and more).
 * I/O: keyboard controller 0x60/0x64 (IRQ1, IRQ12; its output port is
 * the A20 gate too: the last write to it or to 0x92 decides), VGA
 * 0x3B4-0x3BB, 0x3C0-0x3CF, 0x3D4-0x3DB, PIC 0x20/0xA0/0x4D0, PIT
 * 0x40-0x43/0x61, RTC 0x70-0x71 (IRQ 8, NVRAM filled by pc_cmos.c), POST
 * codes 0x80, A20 gate and fast reset 0x92, PCI configuration
 * 0xCF8/0xCFC (the i440FX at 00.0 with PAM
 * shadowing of 0xC0000-0xFFFFF, the PIIX3 at 01.0/01.1 with reset control
 * 0xCF9, the PIIX4 PM function at 01.3, SCI on IRQ 9, APM 0xB2/0xB3),
 * COM1 0x3F8 (IRQ4), ISA DMA 0x00-0x0F/0xC0-0xDF/0x81-0x8F, the floppy
 * controller 0x3F0-0x3F5/0x3F7 (IRQ 6, DMA 2; drives from -fda/-fdb),
 * the built-in BIOS's trap port BIOS_TRAP_PORT (0xE6),
 * the -device devices (isa-debug-exit), the debug console 0xE9 with
 * -debugcon, fw_cfg 0x510-0x511 and its DMA address 0x514-0x51B with
 * -bios (frontend/pc_fw_cfg.c fills it).
 * The VGA (-vga std) at PCI 00:02.0 as QEMU's std VGA: its 16 MiB of
 * VBE memory (the linear framebuffer) and its MMIO where the firmware
 * puts BAR0 and BAR2 (0xFD000000, 0xFEBFF000 as SeaBIOS places them), and
 * with -bios SeaBIOS's vgabios-stdvga.bin behind its ROM BAR.
 * 0xFEC00000 the IOAPIC, 0xFED00000 the HPET, 0xFEE00000 the local APIC
 * (IA32_APIC_BASE).
 * Interrupts: the 16 ISA lines of the device bus fan out to the PIC and
 * the IOAPIC (IRQ0 to its pin 2, the others to the pin of their number,
 * as on QEMU's pc); PCI PIRQA-D reach the PIIX3's routing and IOAPIC pins
 * 16-19. The PIC's output is the local APIC's LINT0; the IOAPIC's
 * messages go to the local APIC, whose EOIs of level-triggered vectors
 * come back to it; the local APIC drives the CPU's INTR and NMI and
 * answers its acknowledge (the PIC's vector for an ExtINT). The PIT's
 * IRQ0 and the RTC's IRQ8 pass through the HPET, whose legacy
 * replacement takes the two lines for its timers 0 and 1; its other
 * routes are IOAPIC pins.
 */
#include "frontend/machine.h"

#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "base/block.h"
#include "base/util.h"
#include "bios/bios.h"
#include "bios/firmware.h"
#include "bios/linux.h"
#include "bios/linux_video.h"
#include "bios/multiboot.h"
#include "bios/rom.h"
#include "devices/debugcon.h"
#include "devices/device.h"
#include "devices/fw_cfg.h"
#include "devices/i8042.h"
#include "devices/dma8237.h"
#include "devices/fdc.h"
#include "devices/ide.h"
#include "devices/hpet.h"
#include "devices/i440fx.h"
#include "devices/ioapic.h"
#include "devices/lapic.h"
#include "devices/irq.h"
#include "devices/pic.h"
#include "devices/piix3.h"
#include "devices/pit.h"
#include "devices/port92.h"
#include "devices/post.h"
#include "devices/rtc.h"
#include "devices/uart.h"
#include "devices/vga.h"
#include "devices/vga_pci.h"
#include "frontend/console.h"
#include "frontend/sdl_display.h"
#include "frontend/pc_cmos.h"
#include "frontend/pc_fw_cfg.h"
#include "translator/x86/cpu_access.h"
#include "translator/backend.h"
#include "translator/tb.h"

#define LOW_RAM_END 0xa0000u
#define HIGH_RAM_START 0x100000u

/* ---- CPU and board callbacks ---- */

static void machine_set_intr(void *opaque, int n, int level)
{
    (void)n;
    cpu_set_intr(opaque, level);
}

static void machine_nmi(void *opaque) { cpu_nmi(opaque); }

/* IA32_APIC_BASE written (WRMSR): the local APIC maps, moves or unmaps. */
static void machine_apic_base(void *opaque, uint64_t value)
{
    lapic_set_base(opaque, value);
}

/* The APIC bus: IOAPIC messages to the one local APIC, and its EOIs of
 * level-triggered vectors back to the IOAPIC. */
static void machine_apic_message(void *opaque, uint8_t dest, bool logical,
                                 int mode, int vector, bool level)
{
    lapic_deliver(opaque, dest, logical, (enum lapic_delivery)mode, vector,
                  level);
}

static void machine_apic_eoi(void *opaque, int vector)
{
    ioapic_eoi(opaque, vector);
}

/* The x87's error wiring of a PC/AT (SDM vol. 1 D.2.1): the FPU's FERR#
 * sets a latch that drives IRQ 13; a write to port F0h (any value) clears
 * the latch and asserts IGNNE#, so the instruction the FPU froze on goes
 * on; IGNNE# falls with FERR# (the FPU's side, helper_fpu_env.c). */
static void machine_ferr(void *opaque, int level)
{
    struct machine *m = opaque;
    if (level && !m->ferr_latch) {
        m->ferr_latch = true;
        irq_raise(&m->bus.isa_irq[13].in);
    }
}

static uint64_t fpu_port_read(void *opaque, struct mem_attrs attrs,
                              uint64_t offset, unsigned size)
{
    (void)opaque, (void)attrs, (void)offset, (void)size;
    return 0xff;
}

static void fpu_port_write(void *opaque, struct mem_attrs attrs,
                           uint64_t offset, uint64_t value, unsigned size)
{
    struct machine *m = opaque;
    (void)attrs, (void)offset, (void)value, (void)size;
    if (m->ferr_latch) {
        m->ferr_latch = false;
        irq_lower(&m->bus.isa_irq[13].in);
    }
    if (m->cpu.fpu.ferr)
        cpu_fpu_set_ignne(&m->cpu, true);
}

static const struct mem_ops fpu_port_ops = {
    .read = fpu_port_read,
    .write = fpu_port_write,
    .min_size = 1,
    .max_size = 1,
};

/* The built-in BIOS's trap (bios/bios.h): an OUT to BIOS_TRAP_PORT from
 * a stub of the ROM (segment F000, real mode) runs the service on the
 * caller's registers. The OUT helper may write every register
 * (helpers_sys.def), so the registers are current in struct cpu here and
 * what the service writes is what the stub's next instruction sees. An
 * OUT from anywhere else is ignored, as by a port nobody decodes. */
static void bios_trap_write(void *opaque, struct mem_attrs attrs,
                            uint64_t offset, uint64_t value, unsigned size)
{
    struct machine *m = opaque;
    struct cpu *cpu = attrs.cpu;
    (void)offset, (void)value, (void)size;
    if (!cpu || (cpu->cr[0] & CR0_PE) || cpu->seg[SEG_CS].sel != 0xf000)
        return;
    struct bios_regs r = {
        .eax = (uint32_t)cpu->regs[R_EAX], .ebx = (uint32_t)cpu->regs[R_EBX],
        .ecx = (uint32_t)cpu->regs[R_ECX], .edx = (uint32_t)cpu->regs[R_EDX],
        .esi = (uint32_t)cpu->regs[R_ESI], .edi = (uint32_t)cpu->regs[R_EDI],
        .ebp = (uint32_t)cpu->regs[R_EBP], .esp = (uint32_t)cpu->regs[R_ESP],
        .ds = cpu->seg[SEG_DS].sel, .es = cpu->seg[SEG_ES].sel,
        .ss = cpu->seg[SEG_SS].sel,
    };
    bios_trap(&m->bios, &r);
    cpu->regs[R_EAX] = r.eax;
    cpu->regs[R_EBX] = r.ebx;
    cpu->regs[R_ECX] = r.ecx;
    cpu->regs[R_EDX] = r.edx;
    cpu->regs[R_ESI] = r.esi;
    cpu->regs[R_EDI] = r.edi;
    cpu->regs[R_EBP] = r.ebp;
    if (r.es != cpu->seg[SEG_ES].sel)
        cpu_load_seg_real(cpu, SEG_ES, r.es);
}

static uint64_t bios_trap_read(void *opaque, struct mem_attrs attrs,
                               uint64_t offset, unsigned size)
{
    (void)opaque, (void)attrs, (void)offset, (void)size;
    return 0xff;
}

static const struct mem_ops bios_trap_ops = {
    .read = bios_trap_read,
    .write = bios_trap_write,
    .min_size = 1,
    .max_size = 1,
};

/* The POST of the built-in BIOS (bios/post.c), at power-on and reset. */
static void machine_post(struct machine *m)
{
    if (!m->cfg.bios)
        bios_post(&m->bios);
}

/* Bytes of [p, p + len) resident in host memory (mincore). */
static uint64_t resident_bytes(const void *p, size_t len)
{
    long pg = sysconf(_SC_PAGESIZE);
    uintptr_t a = (uintptr_t)p & ~(uintptr_t)(pg - 1);
    size_t n = ((uintptr_t)p + len - a + (size_t)pg - 1) / (size_t)pg;
    unsigned char *vec = malloc(n);
    uint64_t r = 0;
    if (!vec || mincore((void *)a, n * (size_t)pg, vec) != 0) {
        free(vec);
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        r += vec[i] & 1;
    free(vec);
    return r * (uint64_t)pg;
}

/* At exit. -d icount: how much ran, the same on every backend: the
 * instructions completed before the one that ended the run (the OUT to
 * isa-debug-exit, whose device sees the count of its own instruction:
 * cpu_io_begin), or all of them at a block boundary. -d stats: the host
 * cost of the run. Guest RAM is resident
 * only where the guest touched it, and never shrinks, so peak RSS minus
 * the guest RAM resident at exit is what the emulator itself took. */
static void machine_log_exit(struct machine *m)
{
    if (log_enabled(LOG_ICOUNT))
        log_printf("icount: %" PRIu64 " guest instructions, %u code-cache "
                   "flushes\n",
                   m->cpu.icount, m->jit->flush_count);
    if (log_enabled(LOG_STATS)) {
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        double peak = (double)ru.ru_maxrss / 1024.0;
        double ram = (double)resident_bytes(m->ram, (size_t)m->cfg.ram_size) /
                     (1024.0 * 1024.0);
        log_printf("stats: peak RSS %.1f MiB, guest RAM resident %.1f MiB, "
                   "beyond guest RAM %.1f MiB\n",
                   peak, ram, peak > ram ? peak - ram : 0.0);
        if (m->cpu.first_exec_ns)
            log_printf("stats: first guest instruction %.2f ms after "
                       "start\n",
                       (double)(m->cpu.first_exec_ns - process_start_ns) / 1e6);
        log_printf("stats: %" PRIu64 " blocks translated, %u code-cache "
                   "flushes\n",
                   m->jit->translated_count, m->jit->flush_count);
        log_printf("stats: %" PRIu64 " blocks invalidated, %" PRIu64
                   " cut short on pages with self-modifying code\n",
                   m->jit->invalidated_count, m->jit->smc_small_blocks);
        if (m->jit->tier[TB_TIER_CHEAP].ops)
            log_printf("stats: %" PRIu64 " blocks translated by the %s "
                       "tier, %" PRIu64 " by the %s tier first, %" PRIu64
                       " promoted\n",
                       m->jit->tier[TB_TIER_MAIN].translated_count,
                       m->jit->tier[TB_TIER_MAIN].ops->name,
                       m->jit->tier[TB_TIER_CHEAP].translated_count,
                       m->jit->tier[TB_TIER_CHEAP].ops->name,
                       m->jit->tier_promoted);
    }
    if (log_enabled(LOG_SCREEN) && m->vga) {
        log_printf("screen:\n");
        vga_text_dump(m->vga, log_file);
    }
}

static int machine_finish(struct machine *m)
{
    machine_log_exit(m);
    return m->exit_status;
}

/* isa-debug-exit: QEMU ends the process at once, so no guest instruction
 * after the OUT runs and nothing more reaches the console. */
static void machine_debug_exit(void *opaque, int status)
{
    struct machine *m = opaque;
    machine_log_exit(m);
    block_flush_all();
    if (m->exit_notify)
        m->exit_notify(m->exit_opaque, status);
    console_close(m->console);
    debug_console_close(m->debugcon);
    for (int i = 0; i < MACHINE_MAX_DEBUGCONS; i++)
        debug_console_close(m->debugcons[i]);
    log_close();
    exit(status);
}

/* The A20 gate of port 0x92. Blocks are found by physical address, but
 * direct jumps chained under the old gate would still lead to the code
 * of the other megabyte: drop every block (a gate change is rare: the
 * firmware's, once or twice a boot). */
static void machine_set_a20(void *opaque, bool enabled)
{
    struct machine *m = opaque;
    if (((m->cpu.a20_mask >> 20) & 1) == (enabled ? 1 : 0))
        return;
    if (log_enabled(LOG_INT))
        log_printf("machine: A20 %s\n", enabled ? "on" : "off");
    cpu_set_a20(&m->cpu, enabled);
    if (m->jit)
        tb_invalidate_phys_range(&m->cpu, 0, 1ull << 36);
}

static void machine_shutdown(void *opaque, const char *why)
{
    struct machine *m = opaque;
    bool triple = why && strstr(why, "triple") != NULL;

    if (log_enabled(LOG_INT))
        log_printf("machine: %s\n", why ? why : "reset");
    if (!m->cfg.no_reboot) {
        machine_request_reset(m);
        return;
    }
    if (triple) {
        /* A triple fault is a guest failure: show it, exit non-zero. */
        fflush(stdout);
        console_restore_tty();
        fprintf(stderr, "jet86: %s\n", why);
        cpu_dump_state(&m->cpu, stderr);
        machine_request_stop(m, 1);
    } else {
        machine_request_stop(m, 0); /* guest-requested reset, -no-reboot */
    }
}

void machine_pause(struct machine *m)
{
    m->paused = true;
    m->cpu.stop_request = 1;
    m->cpu.exit_request = 1;
}

void machine_resume(struct machine *m)
{
    m->paused = false;
}

void machine_add_idle(struct machine *m, machine_idle_fn *fn, void *opaque)
{
    for (int i = 0; i < MACHINE_MAX_IDLE; i++)
        if (!m->idle[i].fn) {
            m->idle[i] = (struct machine_idle){ fn, opaque };
            return;
        }
    fatal("more than %d front ends wait on a paused machine",
          MACHINE_MAX_IDLE);
}

void machine_remove_idle(struct machine *m, machine_idle_fn *fn, void *opaque)
{
    for (int i = 0; i < MACHINE_MAX_IDLE; i++)
        if (m->idle[i].fn == fn && m->idle[i].opaque == opaque)
            m->idle[i] = (struct machine_idle){ NULL, NULL };
}

void machine_idle_poll(struct machine *m, int wait_ms)
{
    int n = 0;
    for (int i = 0; i < MACHINE_MAX_IDLE; i++)
        n += m->idle[i].fn != NULL;
    if (!n) {
        poll(NULL, 0, wait_ms); /* only a signal ends the pause */
        return;
    }
    for (int i = 0; i < MACHINE_MAX_IDLE; i++)
        if (m->idle[i].fn)
            m->idle[i].fn(m->idle[i].opaque, wait_ms / n);
}

/* Paused: the front ends run, the CPU does not, until a resume, a reset
 * or a stop. Host time spent here is not virtual time. */
static void machine_wait_paused(struct machine *m)
{
    int64_t t0 = host_clock_ns();
    while (m->paused && !m->stop && !m->reset_pending)
        machine_idle_poll(m, 40);
    if (!m->clock.icount)
        m->clock.host_start_ns += host_clock_ns() - t0;
}

/* The keyboard controller's reset line (command FEh, or its output port's
 * bit 0): a guest-requested reset. */
static void machine_kbd_reset(void *opaque)
{
    machine_shutdown(opaque, "reset by the keyboard controller");
}

void machine_request_stop(struct machine *m, int status)
{
    m->stop = true;
    m->exit_status = status;
    m->cpu.stop_request = 1;
    m->cpu.exit_request = 1;
}

void machine_request_reset(struct machine *m)
{
    m->reset_pending = true;
    m->cpu.stop_request = 1;
    m->cpu.exit_request = 1;
}

/* A bzImage (Linux setup header): load it, return 0; else 1. */
static int machine_load_linux(struct machine *m)
{
    char err[512];
    struct linux_args args = {
        .kernel = m->cfg.kernel,
        .append = m->cfg.append,
        .initrd = m->cfg.initrd,
        .ram_size = m->cfg.ram_size,
    };
    struct linux_result res;
    int rc = linux_load(&m->mem, &args, &res, err, sizeof(err));

    if (rc < 0)
        fatal("%s", err);
    /* vga=: the mode the kernel's setup code would have set. */
    if (rc == 0 && res.vid_mode != LINUX_VID_NORMAL) {
        uint16_t on = linux_video(&m->bios, res.zero_page, res.vid_mode);
        if (on != res.vid_mode && res.vid_mode >= 0x300 &&
            res.vid_mode <= 0x3ff)
            warn("-append vga=0x%x: no such video mode; 80x25 text",
                 res.vid_mode);
    }
    if (rc == 0 && log_enabled(LOG_INT))
        log_printf("linux: protocol %u.%02u, entry 0x%x, zero page 0x%x, "
                   "initrd 0x%x+0x%x\n",
                   res.version >> 8, res.version & 0xff, res.entry,
                   res.zero_page, res.initrd_start, res.initrd_size);
    return rc;
}

/* The VGA's option ROM from path; without it (the seabios package not
 * installed) the card has no ROM and the firmware no VGA BIOS. */
static void machine_vga_rom(struct device *vga, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        warn("VGA ROM %s: cannot open it; the VGA has no option ROM", path);
        return;
    }
    size_t cap = 1u << 20;
    uint8_t *buf = xmalloc(cap);
    size_t n = fread(buf, 1, cap, f);
    if (ferror(f) || n == cap)
        warn("VGA ROM %s: unreadable or larger than 1 MiB; not used", path);
    else
        vga_pci_set_rom(vga, buf, n);
    fclose(f);
    free(buf);
}

static void machine_load_kernel(struct machine *m)
{
    char err[512];
    struct multiboot_args args = {
        .kernel = m->cfg.kernel,
        .append = m->cfg.append,
        .modules = m->cfg.initrd,
        .ram_size = m->cfg.ram_size,
    };
    struct multiboot_result res;

    if (!m->cfg.kernel || m->cfg.bios) /* -bios: fw_cfg hands it over */
        return;
    if (machine_load_linux(m) == 0)
        return;
    if (multiboot_load(&m->mem, &args, &res, err, sizeof(err)) != 0)
        fatal("%s", err);
    if (log_enabled(LOG_INT))
        log_printf("multiboot: kernel 0x%x-0x%x entry 0x%x info 0x%x\n",
                   res.kernel_start, res.kernel_end, res.entry, res.mbi);
}

/* The firmware: the built-in BIOS at 0xF0000 with its alias under
 * 4 GiB, or the -bios image at the top of 4 GiB with its last part
 * aliased below 1 MiB. Either way the reset vector 0xFFFFFFF0 is in it. */
static void machine_map_firmware(struct machine *m)
{
    if (!m->cfg.bios) {
        m->rom = xmalloc(BIOS_ROM_SIZE);
        m->rom_size = BIOS_ROM_SIZE;
        bios_rom_build(m->rom);
        struct mem_region *bios =
            mem_add_rom(&m->mem, "bios", BIOS_ROM_BASE, BIOS_ROM_SIZE, m->rom);
        mem_add_alias(&m->mem, "bios-alias", BIOS_ROM_ALIAS, BIOS_ROM_SIZE,
                      bios, 0);
        return;
    }
    char err[512];
    if (firmware_load(m->cfg.bios, &m->rom, &m->rom_size, err, sizeof(err)))
        fatal("%s", err);
    uint64_t size = m->rom_size;
    struct mem_region *rom =
        mem_add_rom(&m->mem, "bios", (1ull << 32) - size, size, m->rom);
    uint64_t low = size < FIRMWARE_LOW_SIZE ? size : FIRMWARE_LOW_SIZE;
    mem_add_alias(&m->mem, "isa-bios", FIRMWARE_LOW_END - low, low, rom,
                  size - low);
}

/* The ROM a PAM segment in write-only mode reads: the firmware's part
 * below 1 MiB. */
static void machine_pam_rom(struct machine *m)
{
    if (!m->cfg.bios) {
        i440fx_set_rom(m->i440fx, BIOS_ROM_BASE, BIOS_ROM_SIZE, m->rom);
        return;
    }
    uint64_t low = m->rom_size < FIRMWARE_LOW_SIZE ? m->rom_size
                                                   : FIRMWARE_LOW_SIZE;
    i440fx_set_rom(m->i440fx, (uint32_t)(FIRMWARE_LOW_END - low),
                   (uint32_t)low, m->rom + m->rom_size - low);
}

/* -display: the window (frontend/sdl_display.c). -display sdl without a
 * usable display is an error; the default falls back to none, saying so
 * when a display was there to use ($DISPLAY or $WAYLAND_DISPLAY set) or
 * stderr is a terminal (a user who may expect a window). */
static void machine_open_display(struct machine *m)
{
    const struct machine_config *cfg = &m->cfg;
    char err[256];

    if (cfg->display == DISPLAY_NONE || cfg->no_vga)
        return;
    const char *x = getenv("DISPLAY"), *wl = getenv("WAYLAND_DISPLAY");
    bool have_env = (x && *x) || (wl && *wl);
    if (cfg->display == DISPLAY_DEFAULT && !have_env) {
#ifdef CONFIG_SDL
        if (isatty(STDERR_FILENO))
            warn("no display ($DISPLAY and $WAYLAND_DISPLAY unset): "
                 "running with -display none");
#endif
        return;
    }
    m->sdl = sdl_display_open(m, cfg->full_screen, err, sizeof(err));
    if (m->sdl)
        return;
    if (cfg->display == DISPLAY_SDL) {
        console_restore_tty();
        fprintf(stderr, "jet86: -display sdl: %s\n", err);
        exit(1);
    }
#ifdef CONFIG_SDL
    warn("no window (%s): running with -display none", err);
#endif
}

void machine_init(struct machine *m, const struct machine_config *cfg)
{
    memset(m, 0, sizeof(*m));
    m->cfg = *cfg;

    log_mask = cfg->log_mask;
    log_file = stderr;
    if (cfg->log_file)
        log_open(cfg->log_file);

    /* Memory map. One host block holds all RAM so that RAM offsets are
     * physical addresses; the part under the 640K-1M hole is unused. */
    memory_map_init(&m->mem);
    io_map_init(&m->io);
    J_ASSERT(cfg->ram_size > HIGH_RAM_START);
    if (cfg->ram_size != (size_t)cfg->ram_size)
        fatal("-m: %llu bytes do not fit the host address space",
              (unsigned long long)cfg->ram_size);
    /* Page-aligned and zero; the host backs only the pages touched. */
    m->ram = mmap(NULL, (size_t)cfg->ram_size, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m->ram == MAP_FAILED)
        fatal("-m: cannot allocate %llu MiB of guest RAM",
              (unsigned long long)(cfg->ram_size >> 20));
    mem_add_ram(&m->mem, "ram-low", 0, LOW_RAM_END, m->ram);
    mem_add_ram(&m->mem, "ram-high", HIGH_RAM_START,
                cfg->ram_size - HIGH_RAM_START, m->ram + HIGH_RAM_START);
    machine_map_firmware(m);

    /* Clock: host time, or executed instructions with -icount. */
    vclock_init(&m->clock, cfg->icount, cfg->icount_shift, &m->cpu.icount);

    /* The translation engine, with the -accel tcg options. */
    struct jit_options jo = {
        .backend = cfg->backend ? backend_find(cfg->backend) : NULL,
        .code_buffer_size = cfg->tb_size,
        .split_wx = cfg->split_wx,
        .perfmap = cfg->perfmap_file,
    };
    m->jit = jit_new(&jo);

    /* CPU (cpu_init keeps the wiring set before it). */
    m->cpu.jit = m->jit;
    m->cpu.mmu.mem = &m->mem;
    m->cpu.io = &m->io;
    m->cpu.clock = &m->clock;
    m->cpu.on_shutdown = machine_shutdown;
    m->cpu.shutdown_opaque = m;
    cpu_init(&m->cpu);
    m->cpu.icount_mode = cfg->icount;

    /* Devices, all through the registry: the PIC first, its output on the
     * CPU's INTR pin and its inputs on the ISA lines, so that it sees the
     * levels the other devices drive from their reset on. */
    device_bus_init(&m->bus, &m->mem, &m->io, &m->clock);
    m->bus.board = m;
    m->bus.exit = machine_debug_exit;
    m->bus.set_a20 = machine_set_a20;
    m->bus.reset = machine_shutdown;
    irq_init(&m->intr, machine_set_intr, &m->cpu, 0);
    m->pic = pic_from_device(device_create_str(&m->bus, "isa-pic"));
    m->lapic = lapic_from_device(device_create_str(&m->bus, "lapic"));
    m->ioapic = ioapic_from_device(device_create_str(&m->bus, "ioapic"));
    lapic_connect_cpu(m->lapic, &m->intr, machine_nmi, &m->cpu, pic_intr_ack,
                      m->pic);
    lapic_connect_eoi(m->lapic, machine_apic_eoi, m->ioapic);
    ioapic_connect(m->ioapic, machine_apic_message, m->lapic);
    pic_connect_intr(m->pic, lapic_lint(m->lapic, 0));
    for (int i = 0; i < ISA_NUM_IRQS; i++) {
        irq_fanout_add(&m->bus.isa_irq[i], pic_get_irq(m->pic, i));
        if (i != 2) /* the cascade: IOAPIC pin 2 is IRQ0's */
            irq_fanout_add(&m->bus.isa_irq[i],
                           ioapic_pin(m->ioapic, i ? i : 2));
    }
    m->cpu.intr_ack = lapic_intr_ack;
    m->cpu.intr_opaque = m->lapic;
    m->cpu.apic_base_changed = machine_apic_base;
    m->cpu.apic_opaque = m->lapic;
    m->cpu.ferr = machine_ferr;
    m->cpu.ferr_opaque = m;
    io_register(&m->io, "fpu-ferr", 0xf0, 1, &fpu_port_ops, m);
    m->pit = pit_from_device(device_create_str(&m->bus, "isa-pit"));
    device_create_str(&m->bus, "isa-post");
    device_create_str(&m->bus, "port92");
    m->rtc = rtc_from_device(device_create_str(&m->bus, "mc146818rtc"));
    rtc_set_base(m->rtc, pc_cmos_rtc_base(cfg));
    struct hpet_state *hpet =
        hpet_from_device(device_create_str(&m->bus, "hpet"));
    pit_connect_irq0(m->pit, hpet_pit_in(hpet));
    rtc_connect_irq(m->rtc, hpet_rtc_in(hpet));
    struct irq *pins[IOAPIC_NUM_PINS];
    for (int i = 0; i < IOAPIC_NUM_PINS; i++)
        pins[i] = ioapic_pin(m->ioapic, i);
    hpet_connect_routes(hpet, pins, IOAPIC_NUM_PINS);
    pc_cmos_init(m->rtc, cfg, cfg->boot_order[0] ? cfg->boot_order : "cad");
    /* PCI: the host bridge with its shadow RAM over the ROM below 1 MiB,
     * then the PIIX3 (01.0, 01.1) and the PIIX4 PM function (01.3). */
    m->i440fx = i440fx_from_device(device_create_str(&m->bus, "i440fx"));
    i440fx_set_ram(m->i440fx, m->ram);
    machine_pam_rom(m);
    struct piix3_state *piix3 =
        piix3_from_device(device_create_str(&m->bus, "piix3"));
    m->ide = ide_from_device(device_create_str(&m->bus, "ide"));
    piix3_connect_ide(piix3, m->ide);
    for (int i = 0; i < 4; i++)
        piix3_connect_pirq_out(piix3, i, ioapic_pin(m->ioapic, 16 + i));
    m->pm = device_create_str(&m->bus, "piix4-pm");
    /* The ISA DMA controllers and the floppy controller on channel 2. */
    struct dma_state *dma =
        dma_from_device(device_create_str(&m->bus, "isa-dma"));
    m->fdc = fdc_from_device(device_create_str(&m->bus, "isa-fdc"));
    fdc_connect_dma(m->fdc, dma, 2);
    m->com1 = uart_from_device(
        device_create_str(&m->bus, "isa-serial,iobase=0x3f8,irq=4"));
    m->kbd = i8042_from_device(device_create_str(&m->bus, "i8042"));
    if (!cfg->no_vga) { /* -vga none: no display adapter */
        struct device *vga = device_create_str(&m->bus, "VGA");
        m->vga = vga_from_device(vga);
        /* External firmware runs the card's own VGA BIOS from its ROM
         * BAR; the built-in BIOS's INT 10h is host code, so no ROM. */
        if (cfg->bios)
            machine_vga_rom(vga, VGA_PCI_ROMFILE);
    }
    i8042_connect(m->kbd, machine_kbd_reset, machine_set_a20, m);
    for (int i = 0; i < cfg->n_devices; i++) {
        /* Ports a built-in device owns are the user's mistake: the
         * refusal names the flag. */
        char claimant[256];
        snprintf(claimant, sizeof(claimant), "-device %s",
                 cfg->devices[i].str ? cfg->devices[i].str
                                     : cfg->devices[i].cls->name);
        m->io.claimant = claimant;
        device_create(&m->bus, &cfg->devices[i]);
        m->io.claimant = NULL;
    }
    machine_open_display(m);
    /* COM1's host side (frontend/console.c). */
    m->console = console_open(&m->cfg, &m->clock, &m->cpu);
    console_attach(m->console, m->com1);
    if (cfg->debugcon_set) {
        m->debugcon = debug_console_open(cfg->debugcon, cfg->debugcon_path);
        debugcon_connect(debugcon_from_device(device_create_str(
                             &m->bus, "isa-debugcon,iobase=0xe9")),
                         debug_console_out, m->debugcon);
    }
    for (int i = 0; i < cfg->n_debugcons; i++) {
        const struct debugcon_config *d = &cfg->debugcons[i];
        char spec[64];
        snprintf(spec, sizeof(spec), "isa-debugcon,iobase=0x%x", d->iobase);
        m->io.claimant = "-device isa-debugcon";
        struct device *dev = device_create_str(&m->bus, spec);
        m->io.claimant = NULL;
        m->debugcons[i] = debug_console_open_flag("-chardev", d->kind,
                                                  d->path);
        debugcon_connect(debugcon_from_device(dev), debug_console_out,
                         m->debugcons[i]);
    }

    /* The built-in BIOS: its services, drives and trap port. */
    bios_init(&m->bios, &m->mem, &m->io, cfg->ram_size);
    /* The POST writes the table entry points into the built-in ROM; the
     * MADT, the MP table and the HPET table describe the board's local
     * APIC, IOAPIC and HPET. */
    m->bios.rom = cfg->bios ? NULL : m->rom;
    m->bios.lapic = m->lapic != NULL;
    m->bios.ioapic = m->ioapic != NULL;
    m->bios.hpet = true;
    if (cfg->boot_order[0])
        strcpy(m->bios.boot_order, cfg->boot_order);
    drives_open(&m->bios, cfg->drives, cfg->n_drives, cfg->snapshot);
    uint8_t floppy_types[2] = { 0, 0 };
    for (int i = 0; i < m->bios.n_drives; i++) {
        struct bios_drive *d = &m->bios.drives[i];
        if (d->kind != DISK_FLOPPY) {
            ide_attach(m->ide, d->unit, d->blk, d->kind == DISK_CDROM);
        } else if (d->unit < 2) {
            fdc_attach(m->fdc, d->unit, d->blk, d->geo.cylinders,
                       d->geo.heads, d->geo.sectors);
            floppy_types[d->unit] = d->floppy_type;
        }
    }
    pc_cmos_set_floppies(m->rtc, floppy_types[0], floppy_types[1]);
    /* External firmware learns the configuration through fw_cfg
     * (frontend/pc_fw_cfg.c); the built-in BIOS reads it directly. */
    if (cfg->bios) {
        unsigned units = 0, cdroms = 0;
        for (int i = 0; i < m->bios.n_drives; i++) {
            struct bios_drive *d = &m->bios.drives[i];
            if (d->kind == DISK_FLOPPY)
                continue;
            units |= 1u << d->unit;
            if (d->kind == DISK_CDROM)
                cdroms |= 1u << d->unit;
        }
        struct fw_cfg_state *fw =
            fw_cfg_from_device(device_create_str(&m->bus, "fw_cfg"));
        /* The PCI VGA brings its own ROM: no ISA VGA BIOS file. */
        pc_fw_cfg_init(fw, cfg, units, cdroms, NULL);
        char err[512];
        if (cfg->kernel &&
            pc_fw_cfg_linux(fw, cfg, PC_FW_CFG_LINUXBOOT, err, sizeof(err)))
            fatal("%s", err);
    }
    if (!cfg->bios)
        m->bios_trap = io_register(&m->io, "bios-trap", BIOS_TRAP_PORT, 1,
                                   &bios_trap_ops, m);

    /* The CPU on its engine, and the memory map's code-write hook so that
     * loader writes invalidate blocks (translator/tb.h). */
    tb_attach_cpu(&m->cpu);
    cpu_reset(&m->cpu);
    machine_post(m);
    machine_load_kernel(m);
}

/* A reset of the whole board (guest request or triple fault without
 * -no-reboot): devices and CPU to power-on state, the kernel loaded anew
 * so the boot starts over as on a real machine with the same boot medium. */
static void machine_reset(struct machine *m)
{
    m->reset_pending = false;
    if (m->ferr_latch) {
        m->ferr_latch = false;
        irq_lower(&m->bus.isa_irq[13].in);
    }
    device_bus_reset(&m->bus);
    tb_flush(&m->cpu);
    cpu_reset(&m->cpu);
    m->cpu.stop_request = 0;
    m->cpu.exit_request = 0;
    machine_post(m);
    machine_load_kernel(m);
}

/* SIGTERM, SIGINT, SIGHUP: the first one stops the CPU at its next block
 * boundary, so the run ends as a guest power-off does (the -d logs and
 * the -icount summary written, disks flushed, the terminal restored);
 * main() then dies of the signal. A second one, or one that arrives
 * before the machine runs, flushes the disks and dies at once. */
static struct machine *signal_machine;
static volatile sig_atomic_t signal_caught;

static void machine_signal(int sig)
{
    struct machine *m = signal_machine;
    if (signal_caught || !m) {
        block_flush_all();
        console_restore_tty();
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    signal_caught = sig;
    m->stop = true;
    m->exit_status = 128 + sig;
    m->cpu.stop_request = 1;
    m->cpu.exit_request = 1;
}

int machine_stop_signal(void)
{
    return signal_caught;
}

int machine_run(struct machine *m)
{
    static const int sigs[] = { SIGTERM, SIGINT, SIGHUP };
    signal_machine = m;
    for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
        signal(sigs[i], machine_signal);
    for (;;) {
        if (m->paused) {
            machine_wait_paused(m);
            if (!m->stop && !m->reset_pending)
                m->cpu.stop_request = 0; /* the pause's own */
        }
        if (!m->stop && !m->reset_pending)
            cpu_exec(&m->cpu);
        if (m->stop)
            return machine_finish(m);
        if (m->reset_pending) {
            machine_reset(m);
            continue;
        }
        if (m->paused)
            continue;
        /* cpu_exec came back with no board request: it stopped itself. */
        m->cpu.stop_request = 0;
        return machine_finish(m);
    }
}

void machine_destroy(struct machine *m)
{
    sdl_display_free(m->sdl);
    m->sdl = NULL;
    console_free(m->console);
    m->console = NULL;
    debug_console_free(m->debugcon);
    m->debugcon = NULL;
    for (int i = 0; i < MACHINE_MAX_DEBUGCONS; i++) {
        debug_console_free(m->debugcons[i]);
        m->debugcons[i] = NULL;
    }
    drives_close(&m->bios);
    if (m->bios_trap)
        io_unregister(&m->io, m->bios_trap);
    m->bios_trap = NULL;
    device_bus_destroy(&m->bus);
    m->pic = NULL;
    m->lapic = NULL;
    m->ioapic = NULL;
    m->pit = NULL;
    m->rtc = NULL;
    m->i440fx = NULL;
    m->com1 = NULL;
    m->kbd = NULL;
    m->vga = NULL;
    m->ide = NULL;
    m->fdc = NULL;
    m->pm = NULL;
    if (m->jit) {
        tb_detach_cpu(&m->cpu);
        jit_free(m->jit);
        m->jit = NULL;
        m->cpu.jit = NULL;
    }
    memory_map_destroy(&m->mem);
    io_map_destroy(&m->io);
    if (m->ram && m->ram != MAP_FAILED)
        munmap(m->ram, (size_t)m->cfg.ram_size);
    m->ram = NULL;
    free(m->rom);
    m->rom = NULL;
    log_close();
}
