// An EMV-style merchant-presented QR payload (the QRIS layout: tag, two-digit length, value,
// ending in a CRC-16/CCITT-FALSE), for the provider simulator. Not a payable QRIS: its merchant
// account field carries the simulator's pay page instead of a real acquirer's id.

function tlv(tag: string, value: string): string {
  if (value.length > 99) throw new Error(`QR field ${tag} is longer than 99 characters`);
  return `${tag}${String(value.length).padStart(2, '0')}${value}`;
}

/** CRC-16/CCITT-FALSE (polynomial 0x1021, initial 0xFFFF), as EMV QR codes end with. */
export function crc16(text: string): string {
  let crc = 0xffff;
  for (const byte of Buffer.from(text, 'utf8')) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

export interface QrPayloadFields {
  orderId: string;
  amount: number;
  /** Where a person can pay this transaction in the simulator. */
  payUrl: string;
  merchantName?: string;
  city?: string;
}

/** The merchant account field: an identifier and, when it fits in the field's 99 characters, the pay page. */
function merchantAccount(payUrl: string): string {
  const id = tlv('00', 'ID.LAPAK.SIM');
  const withUrl = id.length + 4 + payUrl.length <= 99 ? id + tlv('01', payUrl) : id;
  return withUrl;
}

/** A dynamic (point of initiation 12) payload in rupiah (currency 360) that names the order as its bill number. */
export function qrPayload(f: QrPayloadFields): string {
  const body =
    tlv('00', '01') +
    tlv('01', '12') +
    tlv('26', merchantAccount(f.payUrl)) +
    tlv('52', '5812') +
    tlv('53', '360') +
    tlv('54', String(f.amount)) +
    tlv('58', 'ID') +
    tlv('59', (f.merchantName ?? 'LAPAK SIMULATOR').slice(0, 25)) +
    tlv('60', (f.city ?? 'JAKARTA').slice(0, 15)) +
    tlv('62', tlv('01', f.orderId));
  const withCrcTag = `${body}6304`;
  return withCrcTag + crc16(withCrcTag);
}
