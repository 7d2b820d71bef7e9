// Product photos are resized on the HQ computer before upload: a phone photo of several
// megabytes would otherwise replicate to every store and every kiosk.
export const PHOTO_MAX_PX = 800;
const QUALITY = 0.82;

export class PhotoUnreadable extends Error {}

export async function resizePhoto(file: Blob, maxPx = PHOTO_MAX_PX): Promise<Blob> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new PhotoUnreadable('not an image this browser can read');
  }
  const scale = Math.min(1, maxPx / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  const ctx = canvas.getContext('2d')!;
  // JPEG has no transparency: a PNG with a transparent background gets a white one, not black.
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new PhotoUnreadable('the browser could not encode the photo'))), 'image/jpeg', QUALITY),
  );
}
