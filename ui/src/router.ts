import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router'
import Dashboard from './views/Dashboard.vue'
import Units from './views/Units.vue'
import Orgs from './views/Orgs.vue'
import Members from './views/Members.vue'
import Applicants from './views/Applicants.vue'
import Activities from './views/Activities.vue'
import Inspections from './views/Inspections.vue'
import Instructors from './views/Instructors.vue'
import Alliances from './views/Alliances.vue'
import Dues from './views/Dues.vue'
import Settings from './views/Settings.vue'
import Excel from './views/Excel.vue'
import Exchange from './views/Exchange.vue'

/** The screens, in menu order. */
export const screens: (RouteRecordRaw & { meta: { title: string; icon: string } })[] = [
  { path: '/', name: 'dashboard', component: Dashboard, meta: { title: '工作台', icon: 'Odometer' } },
  { path: '/units', name: 'units', component: Units, meta: { title: '两新组织', icon: 'OfficeBuilding' } },
  { path: '/orgs', name: 'orgs', component: Orgs, meta: { title: '党组织', icon: 'Share' } },
  { path: '/members', name: 'members', component: Members, meta: { title: '党员', icon: 'User' } },
  { path: '/applicants', name: 'applicants', component: Applicants, meta: { title: '发展党员', icon: 'Promotion' } },
  { path: '/activities', name: 'activities', component: Activities, meta: { title: '组织生活', icon: 'Calendar' } },
  { path: '/inspections', name: 'inspections', component: Inspections, meta: { title: '十个有检查', icon: 'Finished' } },
  { path: '/instructors', name: 'instructors', component: Instructors, meta: { title: '党建指导员与走访', icon: 'Guide' } },
  { path: '/alliances', name: 'alliances', component: Alliances, meta: { title: '红色联盟', icon: 'Connection' } },
  { path: '/dues', name: 'dues', component: Dues, meta: { title: '党费', icon: 'Wallet' } },
  { path: '/excel', name: 'excel', component: Excel, meta: { title: '导入导出', icon: 'Files' } },
  { path: '/exchange', name: 'exchange', component: Exchange, meta: { title: '数据交换', icon: 'Switch' } },
  { path: '/settings', name: 'settings', component: Settings, meta: { title: '设置', icon: 'Setting' } },
]

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [...screens, { path: '/:rest(.*)', redirect: '/' }],
})
