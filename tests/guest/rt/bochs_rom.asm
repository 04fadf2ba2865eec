; A ROM image that boots a guest test program under Bochs, which has no
; Multiboot loader (tests/guest/bochs.sh builds it): at reset it enters
; flat 32-bit protected mode, copies the program's loadable image (the
; flat binary of its ELF, linked at 1 MiB) from the ROM to 1 MiB and jumps
; to its entry point with the Multiboot magic in EAX and no information
; block (EBX = 0).  The ROM sits at the top of 4 GiB; the reset vector is
; its last 16 bytes (SDM 3A 9.1.4).
;
; nasm -f bin -DPAYLOAD=file -DENTRY=addr -o rom.bin bochs_rom.asm
ROM_SIZE equ 0x20000
ROM_BASE equ 0x100000000 - ROM_SIZE
CS16_BASE equ 0xffff0000         ; CS base at reset
%define LIN(x) (ROM_BASE + (x) - $$)
%define IP16(x) (LIN(x) - CS16_BASE)

bits 16
payload:
        incbin PAYLOAD
payload_end:

        times ROM_SIZE - 0x1000 - ($ - $$) db 0xff
gdt:    dq 0
        dq 0x00cf9a000000ffff    ; 0x08 flat 32-bit code
        dq 0x00cf92000000ffff    ; 0x10 flat data
gdtr:   dw 3 * 8 - 1
        dd LIN(gdt)

start16:
        cli
        o32 lgdt [cs:IP16(gdtr)]
        mov eax, cr0
        or al, 1
        mov cr0, eax
        jmp dword 0x08:LIN(start32)

bits 32
start32:
        mov ax, 0x10
        mov ds, ax
        mov es, ax
        mov fs, ax
        mov gs, ax
        mov ss, ax
        mov esp, 0x90000
        mov esi, LIN(payload)
        mov edi, 0x100000
        mov ecx, payload_end - payload
        cld
        rep movsb
        mov eax, 0x2badb002
        xor ebx, ebx
        mov ecx, ENTRY
        jmp ecx

        times ROM_SIZE - 16 - ($ - $$) db 0xff
bits 16
reset:  jmp near start16
        times ROM_SIZE - ($ - $$) db 0xff
