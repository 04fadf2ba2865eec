; rom_entry.asm - wraps a guest test program into a raw firmware image
; entered at F000:FFF0 (the ROM build: jet86 -bios, Bochs romimage).
;
; Assembled with nasm -f bin once per program (rom.mk):
;   -DPROG="NAME.bin"   the program's loadable image (objcopy -O binary of
;                       NAME.elf: its bytes from the link address on)
;   -DROMSIZE=N         the image size, a multiple of 64 KiB
;   -DLOAD=ADDR         the program's link address (1 MiB, rt/link.ld)
;   -DENTRY=ADDR        its entry point (_start in rt/entry.asm)
;
; Layout: the program at offset 0, then 0xFF padding, then this stub in the
; image's last 64 KiB, ending with the reset vector in its last 16 bytes.
; The image is mapped at 4 GiB - ROMSIZE, so after reset (CS selector F000,
; base FFFF0000, IP FFF0: SDM 3A 9.1.4) the stub's real-mode offsets are
; its image offsets less ROMSIZE - 64 KiB.
;
; The stub: CLI, A20 on through port 0x92 (the fast A20 gate), a flat GDT,
; CR0.PE (SDM 3A 9.9.1: LGDT, MOV CR0, far JMP to flush), flat data
; segments, the program copied from the ROM to LOAD, then a jump to ENTRY
; with EAX = RT_ROM_MAGIC and EBX = 0: no Multiboot information. _start
; zeroes .bss and sets its own stack, as on the Multiboot path.
;
; Where CPUID reports a local APIC (CPUID.01H:EDX[9]), the stub sets it to
; virtual wire mode as a BIOS does: after reset the APIC is software-
; disabled with every LVT entry masked (SDM 3A 10.4.7.1), so the 8259's
; INTR would not reach the CPU through LINT0 (QEMU models this); SVR bit 8
; enables it, LVT LINT0 = ExtINT, LINT1 = NMI (SDM 3A 10.5.1).
;
; CR0 is set to PE|ET (0x11): the reset value's CD and NW (SDM 3A 9.1.1,
; Table 9-1) are cleared, the state a Multiboot loader leaves the program.

%ifndef PROG
%error "PROG (the program's binary image) is required"
%endif

RT_ROM_MAGIC    equ 0x524f4d21      ; "ROM!" (rt.h)
STUB_AREA       equ 0x1000          ; room for the stub before the vector
SEG_BASE_OFF    equ ROMSIZE - 0x10000   ; image offset of F000:0000
ROM_BASE        equ 0x100000000 - ROMSIZE

        org 0

prog:   incbin PROG
prog_end:
; (a program too large for ROMSIZE makes the TIMES count negative: an error)
        times ROMSIZE - STUB_AREA - 16 - ($ - $$) db 0xff

; ---- the stub, 16-bit code at F000:(image offset - SEG_BASE_OFF) ----
        bits 16
stub:
        cli
        cld
        in al, 0x92                 ; System Control Port A: bit 1 = A20
        or al, 0x02
        and al, 0xfe                ; bit 0 would reset the CPU
        out 0x92, al

        o32 lgdt [cs:gdtr - SEG_BASE_OFF]
        mov eax, 0x00000011         ; PE | ET
        mov cr0, eax
        jmp dword 0x08:(pm32 - $$) + ROM_BASE

        bits 32
pm32:
        mov ax, 0x10
        mov ds, ax
        mov es, ax
        mov fs, ax
        mov gs, ax
        mov ss, ax
        mov esp, 0x90000            ; until _start sets the program's own

        mov eax, 1
        cpuid
        test edx, 1 << 9            ; a local APIC
        jz .no_apic
        mov ecx, 0x1b               ; IA32_APIC_BASE
        rdmsr
        and eax, 0xfffff000
        mov dword [eax + 0xf0], 0x1ff       ; SVR: enabled, spurious 0xFF
        mov dword [eax + 0x350], 0x700      ; LVT LINT0: ExtINT
        mov dword [eax + 0x360], 0x400      ; LVT LINT1: NMI
.no_apic:
        mov esi, ROM_BASE + (prog - $$)
        mov edi, LOAD
        mov ecx, ((prog_end - prog) + 3) / 4
        rep movsd

        mov eax, RT_ROM_MAGIC
        xor ebx, ebx
        mov ecx, ENTRY
        jmp ecx

align 8
gdt:    dq 0
        dq 0x00cf9a000000ffff       ; 0x08: flat 32-bit code
        dq 0x00cf92000000ffff       ; 0x10: flat data
gdt_end:
gdtr:   dw gdt_end - gdt - 1
        dd (gdt - $$) + ROM_BASE

        times ROMSIZE - 16 - ($ - $$) db 0xff

; ---- the reset vector: F000:FFF0 ----
        bits 16
reset:
        jmp stub                    ; near, within segment F000
        times ROMSIZE - ($ - $$) db 0xff
