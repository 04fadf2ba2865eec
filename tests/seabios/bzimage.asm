; bzimage.asm - a minimal Linux bzImage (boot protocol 2.12, loaded high)
; for tests/seabios: SeaBIOS boots it from fw_cfg (-kernel, -initrd,
; -append) through QEMU's linuxboot_dma.bin option ROM, which enters the
; setup at its real-mode entry (CS = setup segment + 0x20, DS = ES = SS
; = the setup segment). The setup prints on COM1 what the loader gave it:
;   LINUX loader=B0 cmdline=<the command line> initrd=<ramdisk_size>
;   kernel=<first 8 bytes at code32_start> initrd-data=<first 8 bytes of
;   the initrd>
; (the high-memory bytes fetched with INT 15h AH=87h) and ends the run
; with isa-debug-exit at 0xF4 (status 0x21).

        bits 16
        org 0

        times 0x1f1 - ($ - $$) db 0
        db 1                    ; 0x1f1 setup_sects: one after the boot sector
        dw 0                    ; root_flags
        dd 1                    ; syssize (16-byte units)
        dw 0                    ; ram_size
        dw 0xffff               ; vid_mode
        dw 0                    ; root_dev
        dw 0xaa55               ; boot_flag
        jmp short start         ; 0x200
        db "HdrS"               ; 0x202
        dw 0x020c               ; 0x206 version 2.12
        dd 0                    ; realmode_swtch
        dw 0                    ; start_sys_seg
        dw 0                    ; kernel_version
type_of_loader: db 0            ; 0x210
        db 1                    ; 0x211 loadflags: LOADED_HIGH
        dw 0                    ; setup_move_size
code32_start: dd 0x100000       ; 0x214
ramdisk_image: dd 0             ; 0x218
ramdisk_size: dd 0              ; 0x21c
        dd 0                    ; bootsect_kludge
        dw 0                    ; 0x224 heap_end_ptr
        db 0, 0                 ; ext_loader_ver, ext_loader_type
cmd_line_ptr: dd 0              ; 0x228
        dd 0x7fffffff           ; 0x22c initrd_addr_max
        dd 0                    ; kernel_alignment
        db 0, 0                 ; relocatable_kernel, min_alignment
        dw 0                    ; xloadflags
        dd 255                  ; 0x238 cmdline_size

start:
        cli
        mov si, m_loader
        call puts
        mov al, [type_of_loader]
        call hex8
        mov si, m_cmdline
        call puts
        mov eax, [cmd_line_ptr] ; below 1 MiB: print through a segment
        mov bx, ax
        and bx, 15
        shr eax, 4
        push ds
        mov ds, ax
        mov si, bx
        call puts
        pop ds
        mov si, m_initrd
        call puts
        mov eax, [ramdisk_size]
        call hex32
        mov si, m_kernel
        call puts
        mov eax, [code32_start]
        call show8
        mov si, m_data
        call puts
        mov eax, [ramdisk_image]
        call show8
        mov si, m_crlf
        call puts
        mov al, 0x10
        out 0xf4, al
.halt:  hlt
        jmp .halt

; show8: the 8 bytes at linear EAX, copied down by INT 15h AH=87h
show8:
        mov [gdt + 0x12], ax    ; source base 15:0
        shr eax, 16
        mov [gdt + 0x14], al    ; 23:16
        mov [gdt + 0x17], ah    ; 31:24
        xor eax, eax
        mov ax, ds
        shl eax, 4
        add eax, buf
        mov [gdt + 0x1a], ax    ; destination base
        shr eax, 16
        mov [gdt + 0x1c], al
        mov [gdt + 0x1f], ah
        mov si, gdt
        mov cx, 4               ; words
        mov ah, 0x87
        int 0x15
        mov si, buf
        mov cx, 8
.next:  lodsb
        call putc
        loop .next
        ret

hex32:
        push eax
        shr eax, 16
        call hex16
        pop eax
hex16:
        push ax
        mov al, ah
        call hex8
        pop ax
hex8:
        push ax
        shr al, 4
        call hexdigit
        pop ax
        and al, 15
hexdigit:
        add al, '0'
        cmp al, '9'
        jbe putc
        add al, 'A' - '0' - 10
putc:
        push dx
        push ax
        mov dx, 0x3fd
.wait:  in al, dx
        test al, 0x20
        jz .wait
        pop ax
        mov dx, 0x3f8
        out dx, al
        pop dx
        ret

puts:
        lodsb
        test al, al
        jz .done
        call putc
        jmp puts
.done:  ret

m_loader:  db "LINUX loader=", 0
m_cmdline: db " cmdline=", 0
m_initrd:  db " initrd=", 0
m_kernel:  db " kernel=", 0
m_data:    db " initrd-data=", 0
m_crlf:    db 13, 10, 0

        align 8
gdt:    times 16 db 0
        dw 0xffff, 0            ; source: limit, base 15:0
        db 0, 0x93, 0, 0        ; base 23:16, access, limit/flags, base 31:24
        dw 0xffff, 0            ; destination
        db 0, 0x93, 0, 0
        times 16 db 0
buf:    times 8 db 0

        times 0x400 - ($ - $$) db 0
; ---- the protected-mode part, at code32_start (never run) ----
        db "KERNEL32"
        times 0x600 - ($ - $$) db 0
