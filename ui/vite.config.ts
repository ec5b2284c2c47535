import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

// Everything is bundled into dist/ and embedded in the app: no CDN, no remote content.
export default defineConfig({
  plugins: [vue()],
  clearScreen: false,
  base: './',
  build: {
    target: 'safari13',
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2500,
    assetsInlineLimit: 0,
  },
  test: {
    environment: 'happy-dom',
    include: ['tests/**/*.test.ts'],
    css: false,
  },
})
