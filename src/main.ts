import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { AppState } from './lib/state/app.svelte';
import { createStore } from './lib/store';

const app = await AppState.create(createStore());
mount(App, { target: document.getElementById('app')!, props: { app } });
