import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Where `vite build` writes the app (package.json `build`): dist/web. */
export const WEB_APP_DIR = join(__dirname, '..', '..', '..', '..', 'web');

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export interface WebAsset {
  body: Buffer;
  gzipped: Buffer;
  contentType: string;
}

/**
 * The built app, read once at start: its index.html and every file in assets/ (with a gzipped
 * copy made here, so the ≤ 250 KB budget is what the browser downloads). Only these files are
 * served, by exact name, so no path can reach outside them.
 */
@Injectable()
export class WebAppService implements OnModuleInit {
  private readonly logger = new Logger('WebApp');
  private index: Buffer | undefined;
  private readonly assets = new Map<string, WebAsset>();

  onModuleInit(): void {
    const indexFile = join(WEB_APP_DIR, 'index.html');
    if (!existsSync(indexFile)) {
      this.logger.warn(`no web app at ${WEB_APP_DIR}: run npm run build`);
      return;
    }
    this.index = readFileSync(indexFile);
    const assetsDir = join(WEB_APP_DIR, 'assets');
    for (const name of existsSync(assetsDir) ? readdirSync(assetsDir) : []) {
      const contentType = CONTENT_TYPES[extname(name)];
      if (!contentType) continue;
      const body = readFileSync(join(assetsDir, name));
      this.assets.set(name, { body, gzipped: gzipSync(body, { level: 9 }), contentType });
    }
  }

  indexHtml(): Buffer | undefined {
    return this.index;
  }

  asset(name: string): WebAsset | undefined {
    return this.assets.get(name);
  }
}
