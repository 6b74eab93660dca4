import type { RouteRecordRaw } from 'vue-router';

export const questionsRoutes: RouteRecordRaw[] = [
  {
    // The board across every client the person may see; /questions/:questionId opens one over it.
    path: 'questions/:questionId?',
    name: 'questions',
    component: () => import('./pages/QuestionsPage.vue'),
    meta: { title: 'Questions' },
  },
  {
    path: 'clients/:id/questions/:questionId?',
    name: 'client-questions',
    component: () => import('./pages/ClientQuestionsPage.vue'),
    props: (route) => ({ id: route.params['id'] }),
    meta: { title: 'Questions' },
  },
];
