import { servedFilename } from './served-filename';

describe('servedFilename', () => {
  it.each([
    ['photo.jpg', 'image/jpeg', 'photo.jpg'],
    ['photo.JPEG', 'image/jpeg', 'photo.JPEG'],
    ['screen.txt', 'image/png', 'screen.txt.png'],
    ['scan', 'application/pdf', 'scan.pdf'],
    ['report.pdf', 'application/pdf', 'report.pdf'],
    ['notes.txt', 'text/plain', 'notes.txt'],
    ['export.csv', 'text/plain', 'export.csv'],
    ['server.log', 'text/plain', 'server.log'],
    ['page.html', 'text/plain', 'page.html.txt'],
    ['drawing.svg', 'text/plain', 'drawing.svg.txt'],
    ['invoice.pdf.exe', 'text/plain', 'invoice.pdf.exe.txt'],
    ['setup.exe', 'application/octet-stream', 'setup.exe.bin'],
    ['blob.bin', 'application/octet-stream', 'blob.bin'],
    ['.htaccess', 'text/plain', '.htaccess.txt'],
    ['archive.zip', 'application/zip', 'archive.zip'],
    ['odd', 'application/x-unheard-of', 'odd.bin'],
  ])('serves %s (%s) as %s', (name, type, served) => {
    expect(servedFilename(name, type)).toBe(served);
  });

  it('is stable: a served name is served as it is', () => {
    expect(servedFilename(servedFilename('screen.txt', 'image/png'), 'image/png')).toBe('screen.txt.png');
  });
});
