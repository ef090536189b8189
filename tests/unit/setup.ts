// Every unit test file starts as the page is once it is up: the parser that
// places JSON syntax errors (loaded after first paint in the app) is there.
import { loadJsonLocator } from '../../src/lib/model/json';

await loadJsonLocator();
