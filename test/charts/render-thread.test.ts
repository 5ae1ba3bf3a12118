import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { PNG } from 'pngjs';
import { RenderThread } from '../../src/charts/render-thread';

const square = (size: number, colour: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><rect width="${size}" height="${size}" fill="${colour}"/></svg>`;

describe('RenderThread', () => {
  let thread: RenderThread;
  beforeEach(() => {
    thread = new RenderThread({ logLevel: 'off' });
  });
  afterEach(() => thread.close());

  it('answers each request with its own picture, many at once', async () => {
    const sizes = [10, 20, 30, 40, 50, 60, 70, 80];
    const pngs = await Promise.all(sizes.map((size, index) => thread.render(square(size, index % 2 ? 'red' : 'blue'))));
    pngs.forEach((bytes, index) => {
      const png = PNG.sync.read(bytes);
      expect([png.width, png.height]).toEqual([sizes[index], sizes[index]]);
      expect([png.data[0], png.data[1], png.data[2]]).toEqual(index % 2 ? [255, 0, 0] : [0, 0, 255]);
    });
  });

  it('fails a request whose SVG cannot be read, with a sentence, and goes on with the next', async () => {
    await expect(thread.render('not an svg')).rejects.toThrow(/^the chart could not be drawn: /);
    expect(PNG.sync.read(await thread.render(square(5, 'red'))).width).toBe(5);
  });

  it('fails what it still holds when closed, and starts again on the next request', async () => {
    const held = thread.render(square(2000, 'red'));
    await thread.close();
    await expect(held).rejects.toThrow('the chart renderer was closed');
    expect(PNG.sync.read(await thread.render(square(3, 'red'))).width).toBe(3);
  });

  it('frees each picture’s native memory while charts keep arriving (a 960×540 pixmap is 2 MB)', async () => {
    const chart = `<svg xmlns="http://www.w3.org/2000/svg" width="960" height="540"><rect width="960" height="540" fill="white"/><path d="M0 0L960 540" stroke="black"/></svg>`;
    const before = process.memoryUsage.rss();
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage.rss());
    }, 5);
    let left = 300;
    // Four always in flight, as the chart queue keeps them: the case where a port never pauses between messages.
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (left-- > 0) await thread.render(chart);
      }),
    );
    clearInterval(sampler);
    // Kept pixmaps would add about 600 MB here.
    expect(peak - before).toBeLessThan(200 * 2 ** 20);
    // 300 pictures take a few seconds alone, and much longer beside another test file's work.
  }, 90_000);

  it('never keeps a process alive once it has nothing to do', async () => {
    const root = path.join(__dirname, '..', '..');
    const script = `
      const { RenderThread } = require('./src/charts/render-thread');
      new RenderThread({}).render('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>')
        .then((png) => console.log('rendered', png.length));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--require', 'tsx/cjs', '-e', script], {
      cwd: root,
      timeout: 20_000,
    });
    expect(stdout).toMatch(/^rendered \d+/);
  });
});
