import type { RouteRecordRaw } from 'vue-router';

export const questionsRoutes: RouteRecordRaw[] = [
  {
    path: '/:slug/questions',
    name: 'portal-questions',
    component: () => import('./pages/QuestionsPage.vue'),
    props: true,
    meta: { requiresContact: true, title: 'Questions' },
  },
  {
    path: '/:slug/questions/:questionId',
    name: 'portal-question',
    component: () => import('./pages/QuestionPage.vue'),
    props: true,
    meta: { requiresContact: true, title: 'Question' },
  },
];
