// The default VitePress theme plus aekit's live demos, registered globally so
// that pages can use them as <ReconstructDemo /> and so on inside <ClientOnly>.
import DefaultTheme from 'vitepress/theme';
import type { Theme } from 'vitepress';
import DenoiseDemo from './components/DenoiseDemo.vue';
import LatentDemo from './components/LatentDemo.vue';
import ReconstructDemo from './components/ReconstructDemo.vue';
import TrainDemo from './components/TrainDemo.vue';
import './style.css';

const theme: Theme = {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component('ReconstructDemo', ReconstructDemo);
    app.component('DenoiseDemo', DenoiseDemo);
    app.component('LatentDemo', LatentDemo);
    app.component('TrainDemo', TrainDemo);
  },
};

export default theme;
