// What the lab e2e tests share about a throwaway guest: its domain XML (the lab's kernel and
// initramfs, a qcow2 disk, a serial console logged to a file, a NIC on lab-nat with its link
// down) and a blocking wait for something outside the program (the guest's serial log, a state).

/** Polls (without holding the CPU) until `cond` holds; throws after `seconds`, naming `what`. */
export function until(cond: () => boolean, seconds: number, what: string): void {
  const end = Date.now() + seconds * 1000;
  const nap = new Int32Array(new SharedArrayBuffer(4));
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${seconds}s waiting for ${what}`);
    Atomics.wait(nap, 0, 0, 200);
  }
}

/** the XML of a throwaway lab guest that boots the lab's kernel and prints LAB-READY NAME on its serial log */
export function labGuestXml(o: { name: string; title: string; disk: string; serialLog: string; memoryMiB?: number; mac?: string }): string {
  const mib = o.memoryMiB ?? 128;
  return `<domain type='qemu'>
  <name>${o.name}</name>
  <title>${o.title}</title>
  <memory unit='MiB'>${mib}</memory>
  <currentMemory unit='MiB'>${mib}</currentMemory>
  <vcpu placement='static'>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>/var/lib/virt-lab/boot/vmlinuz</kernel>
    <initrd>/var/lib/virt-lab/boot/initrd.img</initrd>
    <cmdline>console=ttyS0 quiet panic=10 lab.hostname=${o.name} lab.load=0</cmdline>
  </os>
  <features><acpi/><apic/></features>
  <clock offset='utc'/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='${o.disk}'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <interface type='network'>${o.mac ? `\n      <mac address='${o.mac}'/>` : ''}
      <source network='lab-nat'/>
      <model type='virtio'/>
      <link state='down'/>
    </interface>
    <serial type='pty'>
      <log file='${o.serialLog}' append='on'/>
      <target port='0'/>
    </serial>
    <console type='pty'>
      <target type='serial' port='0'/>
    </console>
    <memballoon model='virtio'/>
  </devices>
</domain>
`;
}
