import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { useTerminal } from './device/terminal-store';
import { router } from './router';
import { registerServiceWorker } from './pwa/register';
import './style.css';

const app = createApp(App).use(createPinia()).use(router);
void useTerminal().boot();
app.mount('#app');
registerServiceWorker();
