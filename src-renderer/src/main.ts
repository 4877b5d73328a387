import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import './styles/theme.css';
import './styles/base.css';
import './styles/a11y.css';

createApp(App).use(createPinia()).mount('#app');
