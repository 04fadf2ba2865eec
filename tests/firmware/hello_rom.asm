; hello_rom.asm - a 128 KiB raw firmware image entered at F000:FFF0, for
; -bios: it prints on the debug console (port 0xE9) what it finds of its
; own mapping and of the port, then ends the run. The same image runs under
; jet86 -bios, qemu-system-i386 -bios and Bochs (romimage), whose outputs
; must agree (tests/firmware/run.sh).
;
; Checks: the CPU starts at F000:FFF0 in the image (the reset vector is the
; image's last 16 bytes); the image's last 128 KiB are seen at
; 0xE0000-0xFFFFF (here: all of it, so its first byte is at E000:0000);
; reading the port gives 0xE9 (the readback Bochs and QEMU give).
; Exit: "Shutdown" to port 0x8900 (Bochs), then value 0 to isa-debug-exit
; at 0xF4 (jet86 and QEMU: exit status 1), then HLT forever.

        bits 16
        org 0                   ; offsets in the image

; ---- first 64 KiB: a marker, seen at 0xE0000 ----
        db "low half of the image", 0
        times 0x10000 - ($ - $$) db 0xff

; ---- last 64 KiB: segment F000 ----
start:
        cli
        mov ax, cs
        mov ds, ax
        mov si, msg_hello - 0x10000
        call puts

        ; the port reads back 0xE9
        in al, 0xe9
        call puthex8
        mov si, msg_nl - 0x10000
        call puts

        ; the first half of the image, at 0xE0000
        mov si, msg_low - 0x10000
        call puts
        mov ax, 0xe000
        mov ds, ax
        xor si, si
        call puts
        mov ax, cs
        mov ds, ax
        mov si, msg_nl - 0x10000
        call puts

        ; CS:IP of the code: F000 (the reset vector jumped here)
        mov si, msg_cs - 0x10000
        call puts
        mov ax, cs
        xchg al, ah
        call puthex8
        xchg al, ah
        call puthex8
        mov si, msg_nl - 0x10000
        call puts

        mov si, msg_done - 0x10000
        call puts

        mov dx, 0x8900          ; Bochs: "Shutdown" ends the simulation
        mov si, msg_shutdown - 0x10000
.sd:    lodsb
        test al, al
        jz .exit
        out dx, al
        jmp .sd
.exit:  mov al, 0
        out 0xf4, al            ; isa-debug-exit: status (0 << 1) | 1
.hang:  hlt
        jmp .hang

; DS:SI: a NUL-terminated string to the debug console
puts:   lodsb
        test al, al
        jz .ret
        out 0xe9, al
        jmp puts
.ret:   ret

; AL as two hex digits
puthex8:
        push ax
        shr al, 4
        call .digit
        pop ax
        push ax
        and al, 15
        call .digit
        pop ax
        ret
.digit: add al, '0'
        cmp al, '9'
        jbe .out
        add al, 'a' - '9' - 1
.out:   out 0xe9, al
        ret

msg_hello:    db "firmware: entered at the reset vector", 10
              db "port 0xe9 reads ", 0
msg_low:      db "0xe0000: ", 0
msg_cs:       db "code segment ", 0
msg_done:     db "done", 10, 0
msg_nl:       db 10, 0
msg_shutdown: db "Shutdown", 0

        times 0x1fff0 - ($ - $$) db 0xff
reset:  jmp 0xf000:start - 0x10000
        times 0x20000 - ($ - $$) db 0xff
