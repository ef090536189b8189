// The page's first code to run. The build puts it in the store's own small chunk
// (vite.config.ts, the `store` group), which index.html loads as a script of its
// own before the app's: so it runs while the app's code is still downloading,
// opens the store and starts reading what the app opens with (the conversation,
// the settings, the library). The app then finds those reads under way or done.
import { pageStore } from './lib/store';

pageStore();
