; boot.asm - a boot sector (-hda) or El Torito no-emulation boot image
; (-cdrom) for tests/seabios: SeaBIOS loads it at 0000:7C00 and jumps to
; it; it prints "SEABIOS-BOOT <MEDIUM> DL=xx" on COM1 (polling the
; UART's transmitter-empty bit, so it works whether or not the firmware
; set the UART up) and ends the run with isa-debug-exit at 0xF4 (exit
; status 0x21).  nasm -f bin -DMEDIUM='"HD"' (or '"CD"').

        bits 16
        org 0x7c00

%ifndef MEDIUM
%define MEDIUM "HD"
%endif

start:
        cli
        xor ax, ax
        mov ds, ax
        mov ss, ax
        mov sp, 0x7c00
        mov bl, dl              ; the boot drive SeaBIOS passes
        mov si, msg
        call puts
        mov al, bl
        shr al, 4
        call hexdigit
        mov al, bl
        and al, 0x0f
        call hexdigit
        mov si, crlf
        call puts
        mov al, 0x10            ; isa-debug-exit: status 0x21
        out 0xf4, al
.halt:  hlt
        jmp .halt

hexdigit:
        add al, '0'
        cmp al, '9'
        jbe putc
        add al, 'A' - '0' - 10
        ; fall through
putc:                           ; AL to COM1
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

puts:                           ; DS:SI, NUL-terminated
        lodsb
        test al, al
        jz .done
        call putc
        jmp puts
.done:  ret

msg:    db "SEABIOS-BOOT ", MEDIUM, " DL=", 0
crlf:   db 13, 10, 0

        times 510 - ($ - $$) db 0
        dw 0xaa55
